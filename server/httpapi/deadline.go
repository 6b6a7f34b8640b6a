package httpapi

import (
	"context"
	"net/http"
	"time"
)

// Deadlines of the requests the server serves. Twilio waits 15 s for a TwiML
// or callback answer (then error 11200): a webhook's Twilio calls and retries
// must end well before, leaving time to answer with the fallback TwiML.
const (
	webhookDeadline = 10 * time.Second
	apiDeadline     = 10 * time.Second
)

// withDeadline gives each request a context that ends after d; every Twilio
// call the request makes runs under it. It does not end when the client goes
// away (Twilio giving up on a slow answer, a conference start abandoning the
// wait-URL fetch): work stopped between two Twilio writes would leave a call
// half ended — its status written, the caller's leg not yet told.
func withDeadline(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
