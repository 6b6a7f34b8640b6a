package twiliosim

import (
	"crypto/subtle"
	"net/http"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// basicAuth admits REST requests made with the account's SID and auth token,
// or with one of its API keys and that key's secret, and answers others as
// Twilio does: 401, code 20003.
func (s *Sim) basicAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || !s.admits(user, pass) {
			w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
			rest.WriteError(w, rest.Errorf(http.StatusUnauthorized, 20003, "Authenticate"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// admits reports whether user and pass are the account's SID and auth token,
// or an API key's SID and secret.
func (s *Sim) admits(user, pass string) bool {
	secret, isKey := s.opts.APIKeys[user]
	want := s.opts.AuthToken
	if isKey {
		want = secret
	} else if subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.AccountSid)) != 1 {
		return false
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(pass), []byte(want)) == 1
}
