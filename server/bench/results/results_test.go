package results

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRecordAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	t.Setenv(Env, path)
	for _, f := range []Figure{{Key: "a.b", Value: 1}, {Key: "c", Value: 2.5, Samples: 10, Note: "n"}, {Key: "a.b", Value: 3}} {
		if err := Record(f); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["a.b"].Value != 3 || got["c"].Samples != 10 || got["c"].Note != "n" {
		t.Fatalf("read %+v", got)
	}
}

func TestRecordWithoutEnvWritesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv(Env, "")
	if err := Record(Figure{Key: "x", Value: 1}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("wrote %v", entries)
	}
}

func TestReadRejectsGarbage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	os.WriteFile(path, []byte("{\"key\":\"a\",\"value\":1}\nnot json\n"), 0o644)
	if _, err := Read(path); err == nil {
		t.Fatal("no error for a line that is not JSON")
	}
	os.WriteFile(path, []byte("{\"value\":1}\n"), 0o644)
	if _, err := Read(path); err == nil {
		t.Fatal("no error for a figure without a key")
	}
}
