package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func TestBothSiblingsDecodeToTheFile(t *testing.T) {
	for _, q := range []string{"fast", "max"} {
		dir := t.TempDir()
		name := filepath.Join(dir, "bridge.wasm")
		raw := bytes.Repeat([]byte("\x00asm flex internal call "), 500)
		if err := os.WriteFile(name, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		if n, err := precompress([]string{dir}, q, 256, false); err != nil || n != 1 {
			t.Fatalf("%s: %d compressed, %v", q, n, err)
		}
		br, _ := os.ReadFile(name + ".br")
		if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); !bytes.Equal(got, raw) {
			t.Errorf("%s: brotli sibling does not decode to the file", q)
		}
		gz, _ := os.ReadFile(name + ".gz")
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(zr); !bytes.Equal(got, raw) {
			t.Errorf("%s: gzip sibling does not decode to the file", q)
		}
	}
}

// What decides is the content: a rebuild that rewrites the same bytes (go
// build -o does, with a new time) costs nothing; new bytes, a better quality
// asked for, or a lost sibling are compressed again.
func TestUpToDateIsDecidedByContentAndQuality(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "bridge.wasm")
	raw := bytes.Repeat([]byte("some wasm "), 100)
	write := func(b []byte) {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Hour)
		_ = os.Chtimes(name, later, later) // newer than its siblings, as after go build -o
	}
	run := func(q string) int {
		n, err := precompress([]string{dir}, q, 256, false)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	write(raw)
	if run("fast") != 1 {
		t.Fatal("first run compressed nothing")
	}
	write(raw)
	if run("fast") != 0 {
		t.Error("the same bytes, rewritten, were compressed again")
	}
	if run("max") != 1 {
		t.Error("max quality asked after fast: not compressed again")
	}
	if run("fast") != 0 {
		t.Error("max-quality siblings do not satisfy fast")
	}
	write(append(raw, "changed"...))
	if run("fast") != 1 {
		t.Error("changed bytes were not compressed again")
	}
	os.Remove(name + ".gz")
	if run("fast") != 1 {
		t.Error("a lost sibling was not made again")
	}
	if _, err := precompress([]string{dir}, "best", 256, false); err == nil {
		t.Error("an unknown quality was accepted")
	}
}

func TestExpandSkipsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.wasm", "a.wasm.br", "b.js", "c.png", ".keep"} {
		_ = os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644)
	}
	files, err := expand(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || filepath.Base(files[0]) != "a.wasm" || filepath.Base(files[1]) != "b.js" {
		t.Errorf("expand = %v", files)
	}
	// small files are left alone
	if err := compressFile(filepath.Join(dir, "b.js"), []byte("x"), 256, 5, 22, 6); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.js.br")); err == nil {
		t.Error("a 1-byte file was compressed")
	}
}
