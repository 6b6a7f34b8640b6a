package twiliosim

import (
	"crypto/subtle"
	"net/http"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// basicAuth admits REST requests made with the account's SID and auth token,
// and answers others as Twilio does: 401, code 20003.
func (s *Sim) basicAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.AccountSid)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.AuthToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
			rest.WriteError(w, rest.Errorf(http.StatusUnauthorized, 20003, "Authenticate"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
