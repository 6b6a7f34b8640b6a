package faults

import (
	"net/http"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Middleware applies the REST faults to each request: first the latency, then
// possibly a 429 or 500 in Twilio's error format instead of the real answer.
// A nil Injector returns next unchanged.
func (in *Injector) Middleware(next http.Handler) http.Handler {
	if in == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := in.counters()
		c.requests.Add(1)
		f := in.decideREST(r.Method, r.URL.Path)
		if f.delay > 0 {
			c.delayed.Add(1)
			c.latencyNanoseconds.Add(int64(f.delay))
			t := time.NewTimer(f.delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return // the client is gone; nobody reads an answer
			}
		}
		switch f.status {
		case http.StatusTooManyRequests:
			c.s429.Add(1)
			w.Header().Set("Retry-After", "1")
			rest.WriteError(w, rest.Errorf(http.StatusTooManyRequests, 20429, "Too Many Requests"))
		case http.StatusInternalServerError:
			c.s500.Add(1)
			rest.WriteError(w, rest.Errorf(http.StatusInternalServerError, 20500, "Internal Server Error"))
		default:
			next.ServeHTTP(w, r)
		}
	})
}
