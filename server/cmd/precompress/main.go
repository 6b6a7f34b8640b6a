// Command precompress writes .br and .gz siblings of the browser assets, at
// maximum quality, so the server can hand out precompressed files chosen by
// Accept-Encoding.
//
//	precompress [-min bytes] [-force] path...
//
// A path may be a file or a directory (its compressible files, not recursive).
// Files whose siblings are already newer are skipped unless -force is given.
// Each file compressed is printed: name, raw size, brotli size, gzip size.
package main

import (
	"bytes"
	"compress/gzip"
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

func main() {
	min := flag.Int("min", 256, "skip files smaller than this many bytes")
	force := flag.Bool("force", false, "compress even when the siblings are up to date")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: precompress [-min bytes] path...")
		os.Exit(2)
	}
	for _, p := range flag.Args() {
		files, err := expand(p)
		if err != nil {
			fail(err)
		}
		for _, f := range files {
			if !*force && fresh(f) {
				continue
			}
			if err := compressFile(f, *min); err != nil {
				fail(err)
			}
		}
	}
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
		if e.Type().IsRegular() && compressible[filepath.Ext(e.Name())] {
			out = append(out, filepath.Join(p, e.Name()))
		}
	}
	return out, nil
}

// fresh reports whether both siblings exist and are newer than the file.
func fresh(name string) bool {
	src, err := os.Stat(name)
	if err != nil {
		return false
	}
	for _, ext := range []string{".br", ".gz"} {
		st, err := os.Stat(name + ext)
		if err != nil || st.ModTime().Before(src.ModTime()) {
			return false
		}
	}
	return true
}

func compressFile(name string, min int) error {
	if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
		return nil
	}
	raw, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if len(raw) < min {
		return nil
	}
	br, err := compress(raw, func(w io.Writer) (io.WriteCloser, error) {
		return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24}), nil
	})
	if err != nil {
		return fmt.Errorf("%s: brotli: %w", name, err)
	}
	gz, err := compress(raw, func(w io.Writer) (io.WriteCloser, error) {
		return gzip.NewWriterLevel(w, gzip.BestCompression)
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
