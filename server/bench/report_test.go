package bench

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleReport() *Report {
	r := &Report{Machine: Machine{CPU: "Test CPU | 2 GHz", Cores: 2, RAMBytes: 8 << 30, OS: "linux/amd64", Go: "go1.26", Date: "2025-01-01T00:00:00Z", Commit: "abc"}}
	w := r.Section("wasm", "Bundles")
	w.Add("bridge_brotli_bytes", "Bridge, brotli", int64(654321), "bytes", "")
	w.Add("ratio", "Reuse", 0.99712, "ratio", "")
	s := r.Section("server", "Server")
	s.Add("twiml_caller_rps", "Caller TwiML", 12345.678, "req/s", "32 connections")
	s.Add("empty_p99_ms", "No samples", math.NaN(), "ms", "")
	s.Missing("node_twiml_caller_rps", "Node", "req/s", "node not found")
	return r
}

func TestReportJSON(t *testing.T) {
	b, err := sampleReport().JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	wasm := got["wasm"].(map[string]any)
	if wasm["bridge_brotli_bytes"].(float64) != 654321 {
		t.Errorf("wasm %v", wasm)
	}
	srv := got["server"].(map[string]any)
	if srv["twiml_caller_rps"].(float64) != 12345.678 {
		t.Errorf("rps %v (want rounded to 3 decimals)", srv["twiml_caller_rps"])
	}
	if v, ok := srv["node_twiml_caller_rps"]; !ok || v != nil {
		t.Errorf("a missing figure must be present as null, got %v %v", v, ok)
	}
	missing := got["missing"].([]any)
	if len(missing) != 2 || missing[0] != "server.empty_p99_ms" || missing[1] != "server.node_twiml_caller_rps" {
		t.Errorf("missing %v", missing)
	}
	notes := got["notes"].(map[string]any)
	if notes["server.node_twiml_caller_rps"] != "node not found" || notes["server.empty_p99_ms"] != "no samples" {
		t.Errorf("notes %v", notes)
	}
	if got["machine"].(map[string]any)["cores"].(float64) != 2 {
		t.Errorf("machine %v", got["machine"])
	}
}

func TestReportJSONRejectsDuplicatesAndReservedKeys(t *testing.T) {
	r := sampleReport()
	r.Section("wasm", "").Add("bridge_brotli_bytes", "again", 1, "bytes", "")
	if _, err := r.JSON(); err == nil {
		t.Error("a figure recorded twice was accepted")
	}
	r = &Report{}
	r.Section("notes", "Notes")
	if _, err := r.JSON(); err == nil {
		t.Error("a section named notes was accepted")
	}
}

func TestReportMarkdown(t *testing.T) {
	md := string(sampleReport().Markdown())
	for _, want := range []string{
		"| CPU | Test CPU \\| 2 GHz |", "| Cores | 2 |", "| RAM | 8.0 GiB |", "| Go | go1.26 |",
		"| Bridge, brotli | 654,321 B (639.0 KiB) | `wasm.bridge_brotli_bytes` |",
		"| Reuse | 99.71 % |", "| Caller TwiML | 12,346 req/s |",
		"| Node | not measured | `server.node_twiml_caller_rps` | node not found |",
		"## Server",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestReportValue(t *testing.T) {
	r := sampleReport()
	if v, ok := r.Value("wasm.bridge_brotli_bytes"); !ok || v.(int64) != 654321 {
		t.Errorf("got %v %v", v, ok)
	}
	if _, ok := r.Value("server.node_twiml_caller_rps"); ok {
		t.Error("a missing figure reported as measured")
	}
	if _, ok := r.Value("nope.x"); ok {
		t.Error("an unknown figure reported as measured")
	}
}

func TestReportWrite(t *testing.T) {
	dir := t.TempDir()
	if err := sampleReport().Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"latest.json", "latest.md"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit string
		want string
	}{
		{1234567, "", "1,234,567"}, {3.14159, "ms", "3.14 ms"}, {42.25, "ms", "42.2 ms"}, {-1500, "", "-1,500"}, {512, "bytes", "512 B"},
	} {
		if got := formatNumber(c.v, c.unit); got != c.want {
			t.Errorf("formatNumber(%v, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}
