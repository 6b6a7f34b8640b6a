//go:build !js

// Package sizebudget checks that the Flex bridge (bridge.wasm) stays within
// its size budget over the wire. It is a native test, run by make unit with
// the rest of go test ./... after make has built and precompressed web/dist
// (under GOOS=js compressing the bundle would take minutes).
package sizebudget

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

// maxBrotli is the budget for bridge.wasm brotli-compressed as the server
// serves it: Flex downloads it on every agent's page load.
const maxBrotli = 700_000

// bundle is the bridge to check: BRIDGE_WASM names it, else web/dist/bridge.wasm
// (make builds it before the tests), else it is built into a temporary directory.
func bundle(t *testing.T) string {
	if p := os.Getenv("BRIDGE_WASM"); p != "" {
		return p
	}
	p := filepath.Join("..", "..", "..", "web", "dist", "bridge.wasm")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	p = filepath.Join(t.TempDir(), "bridge.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", p, "github.com/flex-internal-call/internal-call/wasm/bridge")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building bridge.wasm: %v\n%s", err, out)
	}
	return p
}

func TestBridgeSizeBudget(t *testing.T) {
	path := bundle(t)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size, how := compressedSize(t, path, raw)
	t.Logf("%s: %d bytes, %d brotli (%s; budget %d)", path, len(raw), size, how, maxBrotli)
	if size > maxBrotli {
		t.Errorf("bridge.wasm is %d bytes brotli, over the %d budget", size, maxBrotli)
	}
}

// compressedSize is the size of the bridge brotli-compressed at maximum
// quality, as make release ships it. When server/cmd/precompress recorded
// (in .precompress.json beside the bundle) a max-quality .br made from these
// very bytes — make test asks for one before the Go tests — that is its size;
// otherwise the bundle is compressed here, which takes seconds (minutes with
// the race detector).
func compressedSize(t *testing.T, path string, raw []byte) (int, string) {
	var manifest map[string]struct {
		SHA256  string `json:"sha256"`
		Quality string `json:"quality"`
	}
	if b, err := os.ReadFile(filepath.Join(filepath.Dir(path), ".precompress.json")); err == nil && json.Unmarshal(b, &manifest) == nil {
		sum := sha256.Sum256(raw)
		if e, ok := manifest[filepath.Base(path)]; ok && e.Quality == "max" && e.SHA256 == hex.EncodeToString(sum[:]) {
			if st, err := os.Stat(path + ".br"); err == nil {
				return int(st.Size()), "its max-quality .br sibling"
			}
		}
	}
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Len(), "compressed now"
}
