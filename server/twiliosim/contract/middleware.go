package contract

import (
	"net/http"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Middleware validates each request against the documents (see Validate) and
// answers Twilio's error JSON when it does not match; chi-compatible.
func Middleware(next http.Handler) http.Handler {
	return Options{}.Middleware(next)
}

// Options configure the middleware.
type Options struct {
	// Responses, when set, also validates each JSON response of a validated
	// request and records mismatches. Nil costs nothing.
	Responses *ResponseChecker
	// RejectUnknown refuses query and form parameters the operation does not
	// document. Twilio ignores them, so this is stricter than Twilio: for
	// tests, where a misspelt parameter is a bug that would otherwise pass.
	RejectUnknown bool
}

// Middleware is Middleware with o applied.
func (o Options) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, e := o.validate(r)
		if e != nil {
			rest.WriteError(w, e)
			return
		}
		if c == nil || o.Responses == nil {
			next.ServeHTTP(w, r)
			return
		}
		o.Responses.serve(w, r, c, next)
	})
}
