package httpapi

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// readiness caches whether Twilio answered recently, so probes every few
// seconds cost Twilio at most one call per interval.
type readiness struct {
	check func(ctx context.Context) error
	mu    sync.Mutex
	at    time.Time
	err   error
}

const readinessTTL = 10 * time.Second

func (r *readiness) ready(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if time.Since(r.at) > readinessTTL {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		r.err, r.at = r.check(ctx), time.Now()
	}
	return r.err
}

func healthz(w http.ResponseWriter, _ *http.Request) { writeText(w, http.StatusOK, "ok") }

func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := s.ready.ready(r.Context()); err != nil {
		writeText(w, http.StatusServiceUnavailable, "not ready: "+err.Error())
		return
	}
	writeText(w, http.StatusOK, "ready")
}
