package search

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"  José  ÁLVAREZ ":       "jose alvarez",
		"Jose\u0301 Álvarez":     "jose alvarez", // combining accent
		"ana.lopez@example.com":  "ana lopez@example com",
		"bob_smith":              "bob smith",
		"O'Brien":                "obrien",
		"Straße Łukasz Øre Æsir": "strasse lukasz ore aesir",
		"ÇAĞRI Şahin":            "cagri sahin",
		"สมชาย ใจดี":             "สมชาย ใจดี",
		"王小明":                    "王小明",
		"":                       "",
		"--":                     "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func w(sid, full, friendly string, a frameproto.Availability) frameproto.Worker {
	return frameproto.Worker{WorkerSid: sid, FullName: full, FriendlyName: friendly, ContactURI: "client:" + sid, Availability: a, ActivityName: string(a)}
}

func names(ws []frameproto.Worker) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.DisplayName()
	}
	return out
}

func TestDirectoryRanking(t *testing.T) {
	d := NewDirectory([]frameproto.Worker{
		w("WK1", "Joana Marques", "joana", frameproto.Available),
		w("WK2", "Ana López", "ana.lopez", frameproto.OnCall),
		w("WK3", "Mariana Ana", "mariana", frameproto.Available),
		w("WK4", "Ánangelo Ruiz", "aruiz", frameproto.Available),
		w("WK5", "", "ana_bot", frameproto.Available), // no full_name
		w("WK6", "Ana Offline", "anaoff", frameproto.Offline),
		w("WK7", "Ana Self", "me", frameproto.Available),
		w("WK8", "Hannah Banana", "hb", frameproto.Unavailable),
	}, "WK7")
	if d.Len() != 7 {
		t.Fatalf("self must be left out (offline kept), have %d", d.Len())
	}
	got, total := d.Search("ANA", 50)
	// Prefix of the whole name first (available before on a call), then the
	// start of another word, then inside a word; available first among
	// equals; signed-out workers after every signed-in match, however good.
	want := []string{"ana_bot", "Ánangelo Ruiz", "Ana López", "Mariana Ana", "Joana Marques", "Hannah Banana", "Ana Offline"}
	if !slices.Equal(names(got), want) || total != 7 {
		t.Fatalf("got %q (%d), want %q", names(got), total, want)
	}
	// Accents and case both ways; friendly name matches too.
	if got, _ := d.Search("lopez", 50); len(got) != 1 || got[0].WorkerSid != "WK2" {
		t.Errorf("accent folding: %q", names(got))
	}
	if got, _ := d.Search("ÁNA.LÓP", 50); len(got) != 1 || got[0].WorkerSid != "WK2" {
		t.Errorf("query folding: %q", names(got))
	}
	// Every word must match, in any field.
	if got, _ := d.Search("ana ruiz", 50); len(got) != 1 || got[0].WorkerSid != "WK4" {
		t.Errorf("two words: %q", names(got))
	}
	if got, total := d.Search("zzz", 50); len(got) != 0 || total != 0 {
		t.Errorf("no match: %q", names(got))
	}
	// Bounded list, total still counted.
	if got, total := d.Search("a", 2); len(got) != 2 || total != 7 {
		t.Errorf("limit: %d of %d", len(got), total)
	}
	// Empty query: everyone, available first, by name.
	got, _ = d.Search("  ", 50)
	if got[0].Availability != frameproto.Available || got[len(got)-1].Availability != frameproto.Offline {
		t.Errorf("empty query order: %q", names(got))
	}
	if _, ok := d.Lookup("WK6"); !ok {
		t.Error("offline worker not found by Lookup: a selected agent who signs out must stay explained")
	}
}

func TestVerdict(t *testing.T) {
	cases := []struct {
		w     frameproto.Worker
		block bool
		want  Verdict
	}{
		{w("WK1", "A", "a", frameproto.Available), false, Callable},
		{w("WK1", "A", "a", frameproto.Available), true, Callable},
		{w("WK1", "A", "a", frameproto.OnCall), false, Warn},
		{w("WK1", "A", "a", frameproto.OnCall), true, Blocked},
		{w("WK1", "A", "a", frameproto.Unavailable), false, Warn},
		{w("WK1", "A", "a", frameproto.Unavailable), true, Blocked},
		{w("WK1", "A", "a", frameproto.Offline), false, Offline},
		{w("WK1", "A", "a", ""), false, Offline},
		{w("SELF", "A", "a", frameproto.Available), false, Hidden},
		{frameproto.Worker{WorkerSid: "WK9", FriendlyName: "x", Availability: frameproto.Available}, false, Hidden}, // nothing to dial
	}
	for i, c := range cases {
		if got := VerdictFor(c.w, "SELF", c.block); got != c.want {
			t.Errorf("%d: %+v block=%v: %v, want %v", i, c.w, c.block, got, c.want)
		}
	}
}

func TestQueues(t *testing.T) {
	two := 2
	q := NewQueues([]frameproto.Queue{
		{Name: "support", FriendlyName: "Support", AvailableAgents: &two},
		{Name: "sales", FriendlyName: "Ventas España"},
		{Name: "", FriendlyName: "Broken"},
		{Name: "billing"},
	})
	if q.Len() != 3 {
		t.Fatalf("nameless queue kept: %d", q.Len())
	}
	all, _ := q.Search("", 10)
	if got := []string{QueueName(all[0]), QueueName(all[1]), QueueName(all[2])}; !slices.Equal(got, []string{"billing", "Support", "Ventas España"}) {
		t.Errorf("order %q", got)
	}
	if got, _ := q.Search("espana", 10); len(got) != 1 || got[0].Name != "sales" {
		t.Errorf("folded queue search: %+v", got)
	}
	if got, _ := q.Search("sal", 10); len(got) != 1 || got[0].Name != "sales" {
		t.Errorf("queue name search: %+v", got)
	}
}

// bigDirectory is n workers with varied, accented names.
func bigDirectory(n int) []frameproto.Worker {
	first := []string{"Ana", "José", "María", "João", "Somchai", "Wei", "Lucía", "Pedro", "Chloé", "Björn", "Zoë", "Łukasz", "Hannah", "Miguel", "Ngọc"}
	last := []string{"López", "Silva", "García", "Santos", "Jaidee", "Wang", "Müller", "Ruiz", "Dubois", "Nowak", "Pérez", "Costa"}
	avail := []frameproto.Availability{frameproto.Available, frameproto.OnCall, frameproto.Unavailable, frameproto.Offline}
	r := rand.New(rand.NewSource(1))
	ws := make([]frameproto.Worker, n)
	for i := range ws {
		f, l := first[r.Intn(len(first))], last[r.Intn(len(last))]
		full := fmt.Sprintf("%s %s %d", f, l, i)
		if i%10 == 0 {
			full = "" // workers without full_name
		}
		ws[i] = frameproto.Worker{
			WorkerSid: fmt.Sprintf("WK%032d", i), FullName: full,
			FriendlyName: fmt.Sprintf("%s.%s%d@example.com", f, l, i),
			ContactURI:   fmt.Sprintf("client:agent%d", i), Availability: avail[r.Intn(len(avail))],
		}
	}
	return ws
}

func TestLargeDirectoryStaysBounded(t *testing.T) {
	d := NewDirectory(bigDirectory(10000), "")
	got, total := d.Search("a", 50)
	if len(got) != 50 || total < 1000 {
		t.Fatalf("%d shown of %d", len(got), total)
	}
}

// BenchmarkRank10000 is one keystroke's ranking over 10,000 workers, for a
// sequence of queries as an agent types them.
func BenchmarkRank10000(b *testing.B) {
	d := NewDirectory(bigDirectory(10000), "")
	queries := []string{"l", "lu", "luc", "luci", "lucia", "lucia g", "lucia ga", "s", "sa", "san", "wang", "ze", "ł"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Search(queries[i%len(queries)], 50)
	}
}

// BenchmarkBuildDirectory10000 is the cost of a new directory from the bridge.
func BenchmarkBuildDirectory10000(b *testing.B) {
	ws := bigDirectory(10000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		NewDirectory(ws, "")
	}
}

// BenchmarkRebuildDirectory10000 is a directory update (someone's
// availability changed) with the names already folded once.
func BenchmarkRebuildDirectory10000(b *testing.B) {
	ws := bigDirectory(10000)
	cache := &FoldCache{}
	NewDirectoryCached(ws, "", cache)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		NewDirectoryCached(ws, "", cache)
	}
}

func TestFoldCache(t *testing.T) {
	c := &FoldCache{}
	if c.Fold("Ána") != "ana" || c.Fold("Ána") != "ana" || len(c.m) != 1 {
		t.Error("cache")
	}
	var nilCache *FoldCache
	if nilCache.Fold("Ó") != "o" {
		t.Error("nil cache")
	}
	ws := bigDirectory(500)
	a, _ := NewDirectory(ws, "").Search("lu", 50)
	b, _ := NewDirectoryCached(ws, "", c).Search("lu", 50)
	if len(a) != len(b) || a[0] != b[0] {
		t.Error("cached directory differs")
	}
}
