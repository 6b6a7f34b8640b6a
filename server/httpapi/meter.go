package httpapi

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// Meter is told of the requests the server answers and of its Flex token
// checks (the server's metrics implement it).
type Meter interface {
	// RequestServed is one answered request; route is the chi route pattern
	// that matched, "" when none did.
	RequestServed(route, method string, status int, d time.Duration)
	// TokenValidated is one answer of Twilio IAM about a Flex token: valid,
	// invalid, not-worker, or error when none came.
	TokenValidated(result string)
	// TokenCacheHit is a token answered from the cache: valid or invalid.
	TokenCacheHit(result string)
}

type noMeter struct{}

func (noMeter) RequestServed(string, string, int, time.Duration) {}
func (noMeter) TokenValidated(string)                            {}
func (noMeter) TokenCacheHit(string)                             {}

// countRequests tells m of every request, by the route pattern that matched
// (read once routing is done).
func countRequests(m Meter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			m.RequestServed(routePattern(r), r.Method, statusWritten(ww), time.Since(start))
		})
	}
}

// routePattern is the chi pattern that matched r, once it has been routed.
func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		return rc.RoutePattern()
	}
	return ""
}

// statusWritten is the status a handler answered (200 when it wrote none).
func statusWritten(ww middleware.WrapResponseWriter) int {
	if s := ww.Status(); s != 0 {
		return s
	}
	return http.StatusOK
}
