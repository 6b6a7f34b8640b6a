package page

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
)

// The server mounts the page with chi: r.Mount(page.Prefix, page.Handler(opts)).
func TestMountedInChi(t *testing.T) {
	r := chi.NewRouter()
	r.Mount(Prefix, Handler(Options{FlexOrigins: []string{"https://flex.twilio.com"}, Version: "v1"}))
	for path, code := range map[string]int{
		"/dialpad/": http.StatusOK, "/dialpad/app.js": http.StatusOK, "/dialpad/dialpad.css": http.StatusOK,
		"/dialpad": http.StatusMovedPermanently, "/dialpad/app-worker.js": http.StatusNotFound,
	} {
		if w := get(t, r, path); w.Code != code {
			t.Errorf("%s: %d, want %d", path, w.Code, code)
		}
	}
}
