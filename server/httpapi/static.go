package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// asset is one file with its precompressed variants.
type asset struct {
	contentType string
	variants    map[string]variant // by Content-Encoding: "", "br", "gzip"
}

type variant struct {
	body []byte
	etag string
}

// staticFiles serves an fs.FS with precompressed .br/.gz siblings chosen by
// Accept-Encoding, exact content types (application/wasm matters for
// instantiateStreaming) and ETags, so browsers revalidate instead of refetching.
type staticFiles struct {
	files   map[string]*asset
	modTime time.Time
}

var encodingSuffix = map[string]string{".br": "br", ".gz": "gzip"}

// newStaticFiles reads every file of fsys once; the bundles are small and
// served often, and hashing them per request would waste work.
func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	s := &staticFiles{files: map[string]*asset{}, modTime: time.Now()}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(p), ".") {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name, enc := p, ""
		if e, ok := encodingSuffix[path.Ext(p)]; ok {
			name, enc = strings.TrimSuffix(p, path.Ext(p)), e
		}
		a := s.files[name]
		if a == nil {
			a = &asset{contentType: contentType(name), variants: map[string]variant{}}
			s.files[name] = a
		}
		sum := sha256.Sum256(body)
		tag := hex.EncodeToString(sum[:8])
		if enc != "" {
			tag += "-" + enc
		}
		a.variants[enc] = variant{body: body, etag: `"` + tag + `"`}
		return nil
	})
	return s, err
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".wav":
		return "audio/wav"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	a := s.files[name]
	if a == nil {
		http.NotFound(w, r)
		return
	}
	enc := pickEncoding(r.Header.Get("Accept-Encoding"), a.variants)
	v := a.variants[enc]
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "no-cache") // always revalidate: new releases reuse the same names
	h.Set("ETag", v.etag)
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	http.ServeContent(w, r, "", s.modTime, bytes.NewReader(v.body))
}

// pickEncoding prefers brotli, then gzip, among the variants the client accepts.
func pickEncoding(accept string, have map[string]variant) string {
	accepted := map[string]bool{}
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.ReplaceAll(strings.TrimSpace(params), " ", "") == "q=0" {
			continue
		}
		accepted[strings.ToLower(strings.TrimSpace(coding))] = true
	}
	for _, enc := range []string{"br", "gzip"} {
		if _, ok := have[enc]; ok && (accepted[enc] || accepted["*"]) {
			return enc
		}
	}
	if _, ok := have[""]; ok {
		return ""
	}
	// Only compressed copies exist: serve one rather than nothing.
	for enc := range have {
		return enc
	}
	return ""
}

// bytesHandler serves one in-memory file with a content type and an ETag.
func bytesHandler(body []byte, contentType string) http.Handler {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	mod := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", etag)
		http.ServeContent(w, r, "", mod, bytes.NewReader(body))
	})
}
