package bench

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

// Bundle size budgets (brotli), as make test enforces them.
const (
	bridgeBudget  = 700_000
	dialpadBudget = 1_500_000
)

// MeasureWasm adds the raw, gzip (level 9) and brotli (quality 11, window
// 24: make release's setting) sizes of the two bundles in dist.
func MeasureWasm(r *Report, dist string) {
	sec := r.Section("wasm", "WebAssembly bundles")
	sec.Intro = "The bundles as `make` builds them (`-trimpath -ldflags=-s -w`), compressed here at gzip level 9 and brotli quality 11 (window 24), as `make release` serves them."
	for _, b := range []struct {
		name, file string
		budget     int
	}{{"bridge", "bridge.wasm", bridgeBudget}, {"dialpad", "dialpad.wasm", dialpadBudget}} {
		raw, err := os.ReadFile(filepath.Join(dist, b.file))
		var gz, br int
		if err != nil {
			for _, k := range []string{"raw", "gzip", "brotli"} {
				sec.Missing(b.name+"_"+k+"_bytes", b.name+" "+k, "bytes", err.Error())
			}
			continue
		}
		gzp, brp, reused := precompressed(dist, b.file, raw)
		if reused {
			sec.Add(b.name+"_raw_bytes", b.file+", raw", len(raw), "bytes", "")
			sec.Add(b.name+"_gzip_bytes", b.file+", gzip -9", gzp, "bytes", "")
			sec.Add(b.name+"_brotli_bytes", b.file+", brotli 11", brp, "bytes", budgetNote(brp, b.budget))
			continue
		}
		gz, err = gzipSize(raw)
		if err != nil {
			sec.Missing(b.name+"_gzip_bytes", b.name+" gzip", "bytes", err.Error())
		}
		br, err = brotliSize(raw)
		if err != nil {
			sec.Missing(b.name+"_brotli_bytes", b.name+" brotli", "bytes", err.Error())
		}
		sec.Add(b.name+"_raw_bytes", b.file+", raw", len(raw), "bytes", "")
		if gz > 0 {
			sec.Add(b.name+"_gzip_bytes", b.file+", gzip -9", gz, "bytes", "")
		}
		if br > 0 {
			sec.Add(b.name+"_brotli_bytes", b.file+", brotli 11", br, "bytes", budgetNote(br, b.budget))
		}
	}
}

func budgetNote(br, budget int) string {
	verdict := "within"
	if br > budget {
		verdict = "OVER"
	}
	return fmt.Sprintf("%s the %s budget", verdict, formatNumber(float64(budget), "bytes"))
}

// precompressed returns the sizes of the .gz and .br siblings that
// server/cmd/precompress wrote at -quality max, when its manifest says they
// were made from these very bytes: the same settings, without a second
// minute of brotli.
func precompressed(dist, file string, raw []byte) (gz, br int, ok bool) {
	b, err := os.ReadFile(filepath.Join(dist, ".precompress.json"))
	if err != nil {
		return 0, 0, false
	}
	var m map[string]struct {
		SHA256  string `json:"sha256"`
		Quality string `json:"quality"`
	}
	if json.Unmarshal(b, &m) != nil {
		return 0, 0, false
	}
	sum := sha256.Sum256(raw)
	if e, found := m[file]; !found || e.Quality != "max" || e.SHA256 != hex.EncodeToString(sum[:]) {
		return 0, 0, false
	}
	g, err1 := os.Stat(filepath.Join(dist, file+".gz"))
	r, err2 := os.Stat(filepath.Join(dist, file+".br"))
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return int(g.Size()), int(r.Size()), true
}

func gzipSize(raw []byte) (int, error) {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := w.Write(raw); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return b.Len(), nil
}

func brotliSize(raw []byte) (int, error) {
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: 11, LGWin: 24})
	if _, err := w.Write(raw); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return b.Len(), nil
}
