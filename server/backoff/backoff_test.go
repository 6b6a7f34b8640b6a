package backoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDelayDoublesWithinJitterAndCaps(t *testing.T) {
	lo := Policy{Base: 100 * time.Millisecond, Max: time.Second, Rand: func(int64) int64 { return 0 }}
	hi := lo
	hi.Rand = func(n int64) int64 { return n - 1 }
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		w *= time.Millisecond
		if got := lo.Delay(i + 1); got != w/2+1 {
			t.Errorf("attempt %d lowest: %v, want %v", i+1, got, w/2+1)
		}
		if got := hi.Delay(i + 1); got != w {
			t.Errorf("attempt %d highest: %v, want %v", i+1, got, w)
		}
	}
}

func TestDelayIsRandomInRange(t *testing.T) {
	p := Policy{Base: 40 * time.Millisecond, Max: time.Second}
	seen := map[time.Duration]bool{}
	for range 200 {
		d := p.Delay(2)
		if d <= 40*time.Millisecond || d > 80*time.Millisecond {
			t.Fatalf("delay %v outside (40ms, 80ms]", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Fatalf("only %d distinct delays in 200: no jitter", len(seen))
	}
}

func TestSleepEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a canceled context: %v", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}
