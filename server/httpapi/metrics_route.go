package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// MetricsPath is where the metrics are served on the public port when a
// token guards them.
const MetricsPath = "/metrics"

// bearerOnly serves next only to requests carrying Authorization: Bearer
// token; others get 401. The comparison takes the same time whatever the
// token sent.
func bearerOnly(token string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		got := sha256.Sum256([]byte(sent))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "a valid metrics token is required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
