package bench

import (
	"math"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct{ p, want float64 }{
		{50, 5}, {90, 9}, {95, 10}, {99, 10}, {100, 10}, {10, 1}, {11, 2}, {0, 1},
	} {
		if got := Percentile(s, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile([]float64{7}, 99); got != 7 {
		t.Errorf("one sample: p99 = %v", got)
	}
	if !math.IsNaN(Percentile(nil, 50)) {
		t.Error("no samples: want NaN")
	}
}

func TestPercentileOf1000(t *testing.T) {
	s := make([]float64, 1000)
	for i := range s {
		s[i] = float64(i + 1)
	}
	if p := Percentile(s, 99); p != 990 {
		t.Errorf("p99 of 1..1000 = %v, want 990", p)
	}
	if p := Percentile(s, 99.9); p != 999 {
		t.Errorf("p99.9 of 1..1000 = %v, want 999", p)
	}
}

func TestSummarizeDoesNotReorderInput(t *testing.T) {
	in := []float64{3, 1, 2}
	s := Summarize(in)
	if in[0] != 3 || s.Min != 1 || s.Max != 3 || s.P50 != 2 || s.N != 3 {
		t.Fatalf("summary %+v of %v", s, in)
	}
	if e := Summarize(nil); e.N != 0 || !math.IsNaN(e.P50) {
		t.Fatalf("empty summary %+v", e)
	}
}

func TestMillisSorts(t *testing.T) {
	got := Millis([]time.Duration{3 * time.Millisecond, 1500 * time.Microsecond})
	if len(got) != 2 || got[0] != 1.5 || got[1] != 3 {
		t.Fatalf("%v", got)
	}
}
