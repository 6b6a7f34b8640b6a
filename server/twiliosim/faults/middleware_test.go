package faults

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })

func do(h http.Handler, method, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
	return w
}

func mustParse(t *testing.T, s string) Config {
	t.Helper()
	c, err := ParseSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRatesHonoured(t *testing.T) {
	in := New(mustParse(t, "429=0.2,500=0.1,seed=7"))
	h := in.Middleware(okHandler)
	const n = 2000
	counts := map[int]int{}
	for range n {
		w := do(h, "POST", "/taskrouter/v1/Workspaces/WS1/Tasks")
		counts[w.Code]++
		if w.Code == http.StatusOK {
			continue
		}
		var e rest.Error
		if err := json.NewDecoder(w.Body).Decode(&e); err != nil {
			t.Fatal(err)
		}
		want := map[int]int{429: 20429, 500: 20500}[w.Code]
		if e.Code != want || e.Status != w.Code {
			t.Fatalf("%d answered %+v", w.Code, e)
		}
		if w.Code == 429 && w.Header().Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	within := func(got int, p float64) bool { return float64(got) > n*p*0.75 && float64(got) < n*p*1.25 }
	if !within(counts[429], 0.2) || !within(counts[500], 0.1) {
		t.Errorf("counts %v for n=%d, want ≈20%% 429 and ≈10%% 500", counts, n)
	}
	s := in.Stats()
	if s.Requests != n || s.Status429 != int64(counts[429]) || s.Status500 != int64(counts[500]) {
		t.Errorf("stats %+v disagree with %v", s, counts)
	}
}

func TestSeedRepeatable(t *testing.T) {
	run := func(seed string) []int {
		h := New(mustParse(t, "429=0.3,500=0.3,seed="+seed)).Middleware(okHandler)
		var codes []int
		for range 200 {
			codes = append(codes, do(h, "GET", "/x").Code)
		}
		return codes
	}
	a, b, c := run("7"), run("7"), run("8")
	if !equal(a, b) {
		t.Error("same seed, different faults")
	}
	if equal(a, c) {
		t.Error("different seeds, same faults")
	}
}

func TestFilters(t *testing.T) {
	in := New(mustParse(t, "429=1,path=/Tasks,method=POST"))
	h := in.Middleware(okHandler)
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/taskrouter/v1/Workspaces/WS1/Tasks", 429},
		{"POST", "/taskrouter/v1/Workspaces/WS1/Tasks/WT1", 429},
		{"GET", "/taskrouter/v1/Workspaces/WS1/Tasks", 200},
		{"POST", "/taskrouter/v1/Workspaces/WS1/Workers/WK1", 200},
	} {
		if got := do(h, c.method, c.path).Code; got != c.want {
			t.Errorf("%s %s = %d, want %d", c.method, c.path, got, c.want)
		}
	}
}

func TestSetSwitchesFaults(t *testing.T) {
	in := New(mustParse(t, "500=1"))
	h := in.Middleware(okHandler)
	if got := do(h, "GET", "/x").Code; got != 500 {
		t.Fatalf("faults on: %d", got)
	}
	in.Set(Config{})
	if got := do(h, "GET", "/x").Code; got != 200 {
		t.Fatalf("faults off: %d", got)
	}
	if in.Config().Active() {
		t.Error("Config() still active")
	}
}

func TestLatency(t *testing.T) {
	in := New(mustParse(t, "latency=20ms-30ms,seed=1"))
	h := in.Middleware(okHandler)
	for range 5 {
		start := time.Now()
		if do(h, "GET", "/x").Code != 200 {
			t.Fatal("latency alone changed the answer")
		}
		if d := time.Since(start); d < 20*time.Millisecond {
			t.Errorf("answered after %v, want ≥ 20ms", d)
		}
	}
	s := in.Stats()
	if s.Delayed != 5 || s.TotalLatency < 100*time.Millisecond || s.TotalLatency > 150*time.Millisecond {
		t.Errorf("stats %+v", s)
	}
}

func TestNilInjector(t *testing.T) {
	var in *Injector
	if got := do(in.Middleware(okHandler), "GET", "/x").Code; got != 200 {
		t.Errorf("nil injector answered %d", got)
	}
	if in.Stats() != (Stats{}) || in.Config().Active() {
		t.Error("nil injector has state")
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
