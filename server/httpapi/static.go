package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
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

// pickEncoding prefers brotli, then gzip, among the variants the client
// accepts (RFC 9110 §12.5.3): a coding with q=0 is refused even when "*" is
// accepted, and "*" stands only for codings the header does not name.
func pickEncoding(accept string, have map[string]variant) string {
	q := map[string]float64{}
	star := -1.0
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		weight := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 {
					f = 0
				}
				weight = f
			}
		}
		if coding == "*" {
			star = weight
		} else {
			q[coding] = weight
		}
	}
	accepts := func(enc string) bool {
		if w, named := q[enc]; named {
			return w > 0
		}
		return star > 0
	}
	for _, enc := range []string{"br", "gzip"} {
		if _, ok := have[enc]; ok && accepts(enc) {
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
