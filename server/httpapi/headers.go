package httpapi

import "net/http"

// securityHeaders sets what every answer carries: no content sniffing (the
// plugin and the bundles must run only as the type they are served with) and,
// when the server is public over https, HSTS.
func securityHeaders(https bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("X-Content-Type-Options", "nosniff")
			if https {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			next.ServeHTTP(w, r)
		})
	}
}
