package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Report is what make bench publishes: figures grouped in sections, the
// machine they were taken on, and what could not be measured and why.
type Report struct {
	Machine  Machine
	Sections []*Section
}

// Section is one group of figures: its JSON key (wasm, browser, …) and title.
type Section struct {
	Key, Title string
	// Intro is a paragraph of the markdown before the section's table.
	Intro string
	Rows  []Row
}

// Row is one figure. Value nil means not measured; Note then says why.
type Row struct {
	Key   string // the key inside its section, e.g. twiml_caller_rps
	Label string // what the markdown table calls it
	Value any    // float64, int, int64, bool, string or nil
	Unit  string
	Note  string
}

// Section returns the section with the key, adding it (with the title) when new.
func (r *Report) Section(key, title string) *Section {
	for _, s := range r.Sections {
		if s.Key == key {
			return s
		}
	}
	s := &Section{Key: key, Title: title}
	r.Sections = append(r.Sections, s)
	return s
}

// Add appends a figure; a NaN or infinite float is recorded as not measured.
func (s *Section) Add(key, label string, v any, unit, note string) {
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		v = nil
		if note == "" {
			note = "no samples"
		}
	}
	s.Rows = append(s.Rows, Row{Key: key, Label: label, Value: v, Unit: unit, Note: note})
}

// Missing appends a figure that could not be measured, saying why.
func (s *Section) Missing(key, label, unit, why string) {
	s.Rows = append(s.Rows, Row{Key: key, Label: label, Unit: unit, Note: why})
}

// Value returns a figure by dotted key (section.key) and whether it was measured.
func (r *Report) Value(dotted string) (any, bool) {
	sec, key, _ := strings.Cut(dotted, ".")
	for _, s := range r.Sections {
		if s.Key != sec {
			continue
		}
		for _, row := range s.Rows {
			if row.Key == key {
				return row.Value, row.Value != nil
			}
		}
	}
	return nil, false
}

// JSON is the report as latest.json: {"machine": {…}, "<section>": {"<key>":
// value, …}, …, "notes": {"<section>.<key>": "…"}, "missing": ["…"]}.
// Keys are sorted; a figure not measured is null and listed in missing.
func (r *Report) JSON() ([]byte, error) {
	out := map[string]any{"machine": r.Machine}
	notes := map[string]string{}
	missing := []string{}
	for _, s := range r.Sections {
		if s.Key == "machine" || s.Key == "notes" || s.Key == "missing" {
			return nil, fmt.Errorf("section key %q is reserved", s.Key)
		}
		m := map[string]any{}
		for _, row := range s.Rows {
			if _, dup := m[row.Key]; dup {
				return nil, fmt.Errorf("figure %s.%s recorded twice", s.Key, row.Key)
			}
			m[row.Key] = jsonValue(row.Value)
			dotted := s.Key + "." + row.Key
			if row.Note != "" {
				notes[dotted] = row.Note
			}
			if row.Value == nil {
				missing = append(missing, dotted)
			}
		}
		out[s.Key] = m
	}
	sort.Strings(missing)
	out["notes"] = notes
	out["missing"] = missing
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// jsonValue rounds floats to what a reader can use (3 decimals).
func jsonValue(v any) any {
	if f, ok := v.(float64); ok {
		return math.Round(f*1000) / 1000
	}
	return v
}

// Markdown is the report as latest.md: the machine, then one table per section.
func (r *Report) Markdown() []byte {
	var b strings.Builder
	m := r.Machine
	b.WriteString("# Performance report\n\n")
	fmt.Fprintf(&b, "Generated %s by `make bench` at commit `%s`.\n\n", m.Date, m.Commit)
	b.WriteString("| Machine | |\n|---|---|\n")
	fmt.Fprintf(&b, "| CPU | %s |\n| Cores | %d |\n| RAM | %s |\n| OS | %s |\n| Go | %s |\n| Node | %s |\n| Chromium | %s |\n\n",
		mdCell(m.CPU), m.Cores, humanBytes(m.RAMBytes), mdCell(m.OS), mdCell(m.Go), mdCell(orDash(m.Node)), mdCell(orDash(m.Chromium)))
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "## %s\n\n", s.Title)
		if s.Intro != "" {
			b.WriteString(s.Intro + "\n\n")
		}
		b.WriteString("| Figure | Value | Key | Note |\n|---|--:|---|---|\n")
		for _, row := range s.Rows {
			fmt.Fprintf(&b, "| %s | %s | `%s.%s` | %s |\n", mdCell(row.Label), formatValue(row.Value, row.Unit), s.Key, row.Key, mdCell(row.Note))
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// formatValue writes a figure for a reader: thousands grouped, bytes also
// in KB/MB, ratios as percentages.
func formatValue(v any, unit string) string {
	switch x := v.(type) {
	case nil:
		return "not measured"
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case string:
		return mdCell(x)
	case int:
		return formatNumber(float64(x), unit)
	case int64:
		return formatNumber(float64(x), unit)
	case float64:
		return formatNumber(x, unit)
	}
	return mdCell(fmt.Sprint(v))
}

func formatNumber(f float64, unit string) string {
	switch unit {
	case "bytes":
		s := group(strconv.FormatFloat(math.Round(f), 'f', 0, 64)) + " B"
		if math.Abs(f) >= 1024 {
			s += " (" + humanBytes(int64(f)) + ")"
		}
		return s
	case "ratio":
		return strconv.FormatFloat(f*100, 'f', 2, 64) + " %"
	case "":
		return groupFloat(f)
	}
	return groupFloat(f) + " " + unit
}

func groupFloat(f float64) string {
	var s string
	switch {
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		s = strconv.FormatFloat(f, 'f', 0, 64)
	case math.Abs(f) >= 100:
		s = strconv.FormatFloat(f, 'f', 0, 64)
	case math.Abs(f) >= 10:
		s = strconv.FormatFloat(f, 'f', 1, 64)
	default:
		s = strconv.FormatFloat(f, 'f', 2, 64)
	}
	return group(s)
}

// group puts thin separators between thousands of the integer part.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

func humanBytes(n int64) string {
	f := float64(n)
	switch {
	case f >= 1<<30:
		return strconv.FormatFloat(f/(1<<30), 'f', 1, 64) + " GiB"
	case f >= 1<<20:
		return strconv.FormatFloat(f/(1<<20), 'f', 2, 64) + " MiB"
	case f >= 1<<10:
		return strconv.FormatFloat(f/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// Write writes latest.json and latest.md into dir.
func (r *Report) Write(dir string) error {
	js, err := r.JSON()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "latest.json"), js); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "latest.md"), r.Markdown())
}

func writeFileAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
