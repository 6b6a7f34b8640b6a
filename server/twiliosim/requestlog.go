package twiliosim

import (
	"net/http"
	"time"
)

// RequestRecord is one request the simulator answered: an entry of its
// request log (Options.OnRequest).
type RequestRecord struct {
	Method string
	// Path is the path below the simulator's root, e.g.
	// /taskrouter/v1/Workspaces/WS…/Tasks or /agents/reservations/WR…/accept.
	Path   string
	Status int
	// Start is when the request reached the simulator, End when its answer
	// was written (injected latency included).
	Start, End time.Time
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush keeps event streams working through the recorder.
func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests tells Options.OnRequest of every request once answered.
func (s *Sim) logRequests(next http.Handler) http.Handler {
	if s.opts.OnRequest == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := RequestRecord{Method: r.Method, Path: r.URL.Path, Start: time.Now()}
		sw := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		rec.End, rec.Status = time.Now(), sw.status
		s.opts.OnRequest(rec)
	})
}
