package page

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestPage(t *testing.T) {
	h := Handler(Options{FlexOrigins: []string{"https://flex.twilio.com/", "https://flex.example.com"}, Version: "v1.2.3"})
	w := get(t, h, "/dialpad/")
	if w.Code != http.StatusOK {
		t.Fatalf("page: %d %s", w.Code, w.Body)
	}
	csp := w.Header().Get("Content-Security-Policy")
	for _, want := range []string{
		"frame-ancestors https://flex.twilio.com https://flex.example.com",
		"script-src 'self' 'wasm-unsafe-eval'", "default-src 'none'", "worker-src 'none'",
	} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("CSP too loose: %q", csp)
	}
	body := w.Body.String()
	shim := strings.Index(body, `src="/dialpad/storage-shim.js"`)
	loader := strings.Index(body, `src="/dialpad/app.js"`)
	exec := strings.Index(body, `src="/web/wasm_exec.js"`)
	if shim < 0 || loader < 0 || exec < 0 {
		t.Fatalf("scripts missing:\n%s", body)
	}
	// The shim is a plain script: it runs while parsing, before the deferred loader.
	if tag := body[strings.LastIndex(body[:shim], "<script"):shim]; strings.Contains(tag, "defer") || strings.Contains(tag, "async") {
		t.Errorf("shim is deferred: %s", tag)
	}
	for _, want := range []string{
		`<meta name="flex-internal-call-origins" content="https://flex.twilio.com https://flex.example.com">`,
		`href="/dialpad/tokens.css"`, `href="/dialpad/dialpad.css"`, `href="/dialpad/app.css"`,
		`id="dialpad"`, // the server-rendered root component
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "raw.githubusercontent.com") || strings.Contains(body, "style=") {
		t.Errorf("page loads remote resources or inline styles:\n%s", body)
	}
	etag := w.Header().Get("ETag")
	if !strings.HasPrefix(etag, `"v1.2.3-`) {
		t.Errorf("ETag %q is not the release", etag)
	}
	if w := get(t, h, "/dialpad/", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d", w.Code)
	}
	// Same release, other origins: another ETag.
	h2 := Handler(Options{FlexOrigins: []string{"https://other.example"}, Version: "v1.2.3"})
	if get(t, h2, "/dialpad/").Header().Get("ETag") == etag {
		t.Error("origins change kept the ETag")
	}
}

func TestLoaderAndAssets(t *testing.T) {
	h := Handler(Options{FlexOrigins: []string{"https://flex.twilio.com"}, Version: "v1"})
	w := get(t, h, "/dialpad/app.js")
	js := w.Body.String()
	if w.Code != 200 || !strings.Contains(js, "async function goappInitServiceWorker") {
		t.Fatalf("app.js: %d", w.Code)
	}
	if strings.Contains(js, serviceWorkerCall) {
		t.Error("service worker still registered")
	}
	for _, want := range []string{`"/web/dialpad.wasm"`, `"GOAPP_ROOT_PREFIX":"/dialpad"`, `"GOAPP_STATIC_RESOURCES_URL":"/web"`, `"GOAPP_VERSION":"v1-`} {
		if !strings.Contains(js, want) {
			t.Errorf("app.js lacks %s", want)
		}
	}
	for path, ctype := range map[string]string{
		"/dialpad/storage-shim.js": "text/javascript", "/dialpad/tokens.css": "text/css",
		"/dialpad/dialpad.css": "text/css", "/dialpad/icon.svg": "image/svg+xml", "/dialpad/app.css": "text/css",
	} {
		w := get(t, h, path)
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), ctype) || w.Body.Len() == 0 {
			t.Errorf("%s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		}
		if w.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s: no CSP", path)
		}
	}
	for _, path := range []string{"/dialpad/app-worker.js", "/dialpad/robots.txt", "/dialpad/web/app.wasm", "/dialpad/other"} {
		if w := get(t, h, path); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, w.Code)
		}
	}
	if w := get(t, h, "/dialpad"); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/dialpad/" {
		t.Errorf("/dialpad: %d %q", w.Code, w.Header().Get("Location"))
	}
	r := httptest.NewRequest(http.MethodPost, "/dialpad/", nil)
	rw := httptest.NewRecorder()
	h.ServeHTTP(rw, r)
	if rw.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rw.Code)
	}
}

func TestNoOriginsMeansNoFraming(t *testing.T) {
	w := get(t, Handler(Options{FlexOrigins: []string{"*", " ", "flex.twilio.com"}}), "/dialpad/")
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
}

func TestResolver(t *testing.T) {
	for in, want := range map[string]string{
		"/": "/dialpad", "": "/dialpad", "/web/app.wasm": "/web/dialpad.wasm", "/wasm_exec.js": "/web/wasm_exec.js",
		"/web": "/web", "/web/x.png": "/web/x.png", "/app.js": "/dialpad/app.js", "https://x.example/a": "https://x.example/a",
	} {
		if got := (resolver{}).Resolve(in); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", in, got, want)
		}
	}
}
