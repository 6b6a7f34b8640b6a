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

func TestCompressFileWritesBothSiblings(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "bridge.wasm")
	raw := bytes.Repeat([]byte("\x00asm flex internal call "), 500)
	if err := os.WriteFile(name, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := compressFile(name, 256); err != nil {
		t.Fatal(err)
	}
	br, _ := os.ReadFile(name + ".br")
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); !bytes.Equal(got, raw) {
		t.Error("brotli sibling does not decode to the file")
	}
	gz, _ := os.ReadFile(name + ".gz")
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, raw) {
		t.Error("gzip sibling does not decode to the file")
	}
	if !fresh(name) {
		t.Error("just-written siblings not fresh")
	}
	later := time.Now().Add(time.Hour)
	_ = os.Chtimes(name, later, later)
	if fresh(name) {
		t.Error("siblings older than the file count as fresh")
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
	if err := compressFile(filepath.Join(dir, "b.js"), 256); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.js.br")); err == nil {
		t.Error("a 1-byte file was compressed")
	}
}
