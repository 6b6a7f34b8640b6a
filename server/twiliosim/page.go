package twiliosim

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"
)

// The demo page: plain HTML, CSS and a small script, no build step. Every URL
// in it is relative, so it works wherever the simulator is mounted.
//
//go:embed page
var pageFS embed.FS

func (s *Sim) pageRoutes(r chi.Router) {
	files, _ := fs.Sub(pageFS, "page")
	static := http.FileServerFS(files)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFileFS(w, r, files, "index.html")
	})
	r.Get("/page.js", static.ServeHTTP)
	r.Get("/page.css", static.ServeHTTP)
	r.Get("/state", s.serveState)
	// The page has no icon; answering keeps the browser's console quiet.
	r.Get("/favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
}
