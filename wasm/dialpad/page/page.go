// Package page serves the dialpad's HTML page and its small assets, for the
// server to mount under /dialpad/. The WebAssembly bundle itself
// (dialpad.wasm) and wasm_exec.js are not here: the server serves them,
// precompressed, under /web/.
package page

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/dialpad/frame"
	"github.com/flex-internal-call/internal-call/wasm/dialpad/ui"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Prefix is where the server mounts the handler.
const Prefix = call.PathDialpad

// Paths of the bundle the page loads, under the server's /web/.
const (
	WasmPath     = "/web/dialpad.wasm"
	WasmExecPath = "/web/wasm_exec.js"
)

//go:embed assets
var assets embed.FS

// assetTypes are the files of assets/ served under Prefix, with their types.
var assetTypes = map[string]string{
	"/storage-shim.js": "text/javascript; charset=utf-8",
	"/tokens.css":      "text/css; charset=utf-8",
	"/dialpad.css":     "text/css; charset=utf-8",
	"/icon.svg":        "image/svg+xml",
}

// goAppPaths are the go-app files the page needs; every other go-app path
// (service worker, proxied robots.txt, …) answers 404.
var goAppPaths = map[string]bool{"/": true, "/app.js": true, "/app.css": true, "/manifest.webmanifest": true}

// Options configure the page.
type Options struct {
	// FlexOrigins may frame the dialpad (CSP frame-ancestors) and talk to it
	// (postMessage); the server's FLEX_ORIGINS.
	FlexOrigins []string
	// Version names the release (the same on every replica, never a start
	// time). The page's ETag is it plus a hash of the page's files and
	// origins, so a change of either is never served from a stale cache.
	Version string
}

// Handler serves the dialpad page and its assets. Mount it at Prefix; it
// strips the prefix itself: r.Mount(page.Prefix, page.Handler(opts)).
func Handler(opts Options) http.Handler {
	registerRoute()
	origins := cleanOrigins(opts.FlexOrigins)
	version := pageVersion(opts.Version, origins)
	h := &app.Handler{
		Name:            "Flex Internal Call",
		Title:           "Internal call",
		Description:     "Call an agent or a queue",
		Lang:            "en",
		Version:         version,
		Resources:       resolver{},
		Icon:            app.Icon{Default: "/icon.svg", Large: "/icon.svg", SVG: "/icon.svg", Maskable: "/icon.svg"},
		LoadingLabel:    " ",
		BackgroundColor: "#ffffff",
		ThemeColor:      "#ffffff",
		Styles:          []string{"/tokens.css", "/dialpad.css"},
		// Not deferred: it runs while the page is parsed, before go-app's
		// deferred loader touches localStorage.
		Scripts: []string{"/storage-shim.js"},
		RawHeaders: []string{
			`<meta name="` + frame.MetaOrigins + `" content="` + html.EscapeString(strings.Join(origins, " ")) + `">`,
		},
	}
	appJS := sync.OnceValue(func() []byte { return withoutServiceWorker(capture(h, "/app.js")) })
	csp := contentSecurityPolicy(origins)

	return http.StripPrefix(Prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		p := r.URL.Path
		switch {
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			hd.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		case p == "":
			http.Redirect(w, r, Prefix+"/", http.StatusMovedPermanently)
		case p == "/app.js":
			hd.Set("Content-Type", "text/javascript; charset=utf-8")
			hd.Set("Cache-Control", "no-cache")
			hd.Set("ETag", `"`+version+`"`)
			if r.Header.Get("If-None-Match") == `"`+version+`"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Write(appJS())
		case assetTypes[p] != "":
			b, _ := fs.ReadFile(assets, "assets"+p)
			hd.Set("Content-Type", assetTypes[p])
			hd.Set("Cache-Control", "no-cache")
			hd.Set("ETag", `"`+version+`"`)
			if r.Header.Get("If-None-Match") == `"`+version+`"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Write(b)
		case goAppPaths[p]:
			h.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
}

var routeOnce sync.Once

// registerRoute tells go-app (a process-wide router) that "/" is the dialpad,
// so the server renders it; in the browser main registers the same route.
func registerRoute() {
	routeOnce.Do(func() {
		app.Route("/", func() app.Composer { return ui.New(nil) })
	})
}

// resolver maps go-app's resource paths: the bundle and its loader to the
// server's /web/, go-app's own files and ours under Prefix. (go-app's
// PrefixedLocation would route /web/ to a nil handler.)
type resolver struct{}

func (resolver) Resolve(location string) string {
	switch {
	case strings.HasPrefix(location, "https://"), strings.HasPrefix(location, "http://"):
		return location
	case location == "" || location == "/":
		return Prefix // go-app's root prefix: the client strips it to route "/"
	case location == "/web/app.wasm":
		return WasmPath
	case location == "/wasm_exec.js":
		return WasmExecPath // the toolchain's own, matching the bundle
	case location == "/web" || strings.HasPrefix(location, "/web/"):
		return location
	case strings.HasPrefix(location, "/"):
		return Prefix + location
	}
	return location
}

// capture renders one go-app path to bytes.
func capture(h http.Handler, path string) []byte {
	rec := &recorder{header: http.Header{}}
	r, _ := http.NewRequest(http.MethodGet, path, nil)
	h.ServeHTTP(rec, r)
	return rec.body
}

type recorder struct {
	header http.Header
	body   []byte
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(int)             {}
func (r *recorder) Write(b []byte) (int, error) { r.body = append(r.body, b...); return len(b), nil }

// serviceWorkerCall is the line of go-app's loader that registers its
// service worker; the dialpad has none (a framed page's worker would be
// partitioned, and stale code would outlive releases).
const serviceWorkerCall = "\ngoappInitServiceWorker();"

func withoutServiceWorker(js []byte) []byte {
	return []byte(strings.Replace(string(js), serviceWorkerCall, "\n// (no service worker)", 1))
}

// contentSecurityPolicy is strict: our own scripts and styles only, WebAssembly
// compilation allowed, framing only by Flex.
func contentSecurityPolicy(origins []string) string {
	ancestors := "'none'"
	if len(origins) > 0 {
		ancestors = strings.Join(origins, " ")
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self' 'wasm-unsafe-eval'",
		"style-src 'self'",
		"img-src 'self'",
		"connect-src 'self'",
		"manifest-src 'self'",
		"worker-src 'none'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors " + ancestors,
	}, "; ")
}

// cleanOrigins keeps well-formed origins, without trailing slashes.
func cleanOrigins(in []string) []string {
	var out []string
	for _, o := range in {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "" || o == "*" || strings.ContainsAny(o, " ;,'\"") || !strings.Contains(o, "://") {
			continue
		}
		out = append(out, o)
	}
	return out
}

// pageVersion adds to the release a hash of what the page is made of, so
// replicas agree and other assets or origins get a new ETag.
func pageVersion(release string, origins []string) string {
	sum := sha256.New()
	for _, p := range []string{"/storage-shim.js", "/tokens.css", "/dialpad.css", "/icon.svg"} {
		b, _ := fs.ReadFile(assets, "assets"+p)
		sum.Write(b)
	}
	sum.Write([]byte(strings.Join(origins, " ")))
	sum.Write([]byte("go-app v10.1.11"))
	if release == "" {
		release = "dialpad"
	}
	return release + "-" + hex.EncodeToString(sum.Sum(nil)[:8])
}
