// Command precompress writes .br and .gz siblings of the browser assets, so
// the server can hand out precompressed files chosen by Accept-Encoding.
//
//	precompress [-quality max|fast] [-min bytes] [-force] path...
//
// A path may be a file or a directory (its compressible files, not recursive).
// -quality max (the default, for releases) is brotli 11; fast (make run, make
// test) is brotli 5 — seconds instead of a minute for the bundles.
// Whether a file needs compressing is decided by its content: a manifest
// (.precompress.json beside the files) records each file's SHA-256 and the
// quality its siblings were made at, so a rebuild that rewrites identical
// bytes costs nothing, and max-quality siblings also satisfy -quality fast.
// -force compresses anyway. Each file compressed is printed: name, raw size,
// brotli size, gzip size.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

// compressible are the extensions worth compressing.
var compressible = map[string]bool{
	".wasm": true, ".js": true, ".mjs": true, ".html": true, ".css": true,
	".json": true, ".svg": true, ".txt": true, ".map": true, ".webmanifest": true,
}

// Qualities: what each setting means for brotli and gzip.
var qualities = map[string]struct{ rank, brotli, brotliWin, gzip int }{
	"fast": {rank: 1, brotli: 5, brotliWin: 22, gzip: gzip.DefaultCompression},
	"max":  {rank: 2, brotli: brotli.BestCompression, brotliWin: 24, gzip: gzip.BestCompression},
}

// manifestName is the file, beside the compressed ones, that records what
// their siblings were made from.
const manifestName = ".precompress.json"

type entry struct {
	SHA256  string `json:"sha256"`
	Quality string `json:"quality"`
}

func main() {
	min := flag.Int("min", 256, "skip files smaller than this many bytes")
	force := flag.Bool("force", false, "compress even when the siblings are up to date")
	quality := flag.String("quality", "max", "max (releases) or fast (development)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: precompress [-quality max|fast] [-min bytes] [-force] path...")
		os.Exit(2)
	}
	if _, err := precompress(flag.Args(), *quality, *min, *force); err != nil {
		fail(err)
	}
}

// precompress compresses what needs it under paths and returns how many
// files it compressed.
func precompress(paths []string, quality string, min int, force bool) (int, error) {
	q, ok := qualities[quality]
	if !ok {
		return 0, fmt.Errorf("-quality %q: want max or fast", quality)
	}
	n := 0
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			return n, err
		}
		for _, f := range files {
			m := loadManifest(filepath.Dir(f))
			raw, err := os.ReadFile(f)
			if err != nil {
				return n, err
			}
			sum := sha256.Sum256(raw)
			e := entry{SHA256: hex.EncodeToString(sum[:]), Quality: quality}
			if !force && m.satisfies(f, e) {
				continue
			}
			if err := compressFile(f, raw, min, q.brotli, q.brotliWin, q.gzip); err != nil {
				return n, err
			}
			n++
			m.entries[filepath.Base(f)] = e
			if err := m.save(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

type manifest struct {
	dir     string
	entries map[string]entry
}

func loadManifest(dir string) *manifest {
	m := &manifest{dir: dir, entries: map[string]entry{}}
	if b, err := os.ReadFile(filepath.Join(dir, manifestName)); err == nil {
		_ = json.Unmarshal(b, &m.entries)
	}
	return m
}

// satisfies reports whether f's siblings exist and were made from these very
// bytes at the wanted quality or better.
func (m *manifest) satisfies(f string, want entry) bool {
	have, ok := m.entries[filepath.Base(f)]
	if !ok || have.SHA256 != want.SHA256 || qualities[have.Quality].rank < qualities[want.Quality].rank {
		return false
	}
	for _, ext := range []string{".br", ".gz"} {
		if _, err := os.Stat(f + ext); err != nil {
			return false
		}
	}
	return true
}

func (m *manifest) save() error {
	b, err := json.MarshalIndent(m.entries, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(m.dir, manifestName), b)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "precompress:", err)
	os.Exit(1)
}

// expand lists the compressible files of a path.
func expand(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && compressible[filepath.Ext(e.Name())] && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(p, e.Name()))
		}
	}
	return out, nil
}

func compressFile(name string, raw []byte, min, brQuality, brWin, gzLevel int) error {
	if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") || len(raw) < min {
		return nil
	}
	br, err := compress(raw, func(w io.Writer) (io.WriteCloser, error) {
		return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brQuality, LGWin: brWin}), nil
	})
	if err != nil {
		return fmt.Errorf("%s: brotli: %w", name, err)
	}
	gz, err := compress(raw, func(w io.Writer) (io.WriteCloser, error) {
		return gzip.NewWriterLevel(w, gzLevel)
	})
	if err != nil {
		return fmt.Errorf("%s: gzip: %w", name, err)
	}
	if err := writeAtomic(name+".br", br); err != nil {
		return err
	}
	if err := writeAtomic(name+".gz", gz); err != nil {
		return err
	}
	fmt.Printf("%s\t%d\tbr %d\tgz %d\n", name, len(raw), len(br), len(gz))
	return nil
}

func compress(raw []byte, open func(io.Writer) (io.WriteCloser, error)) ([]byte, error) {
	var buf bytes.Buffer
	w, err := open(&buf)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeAtomic writes through a temporary file so a server never serves half a file.
func writeAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
