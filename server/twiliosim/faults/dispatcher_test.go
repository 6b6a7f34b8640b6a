package faults

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// log collects delivered callback numbers.
type log struct {
	mu  sync.Mutex
	got []int
}

func (l *log) add(i int) func() {
	return func() { l.mu.Lock(); l.got = append(l.got, i); l.mu.Unlock() }
}

func (l *log) list() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int(nil), l.got...)
}

func wait(t *testing.T, d *Dispatcher) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := d.Wait(ctx); err != nil {
		t.Fatal(err)
	}
}

// sendAll sends 0..n-1 and waits for quiescence.
func sendAll(t *testing.T, d *Dispatcher, n int) []int {
	t.Helper()
	var l log
	for i := range n {
		d.Send(l.add(i))
	}
	wait(t, d)
	return l.list()
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestOrderWithoutFaults(t *testing.T) {
	for name, in := range map[string]*Injector{"nil": nil, "zero": New(Config{})} {
		d := in.NewDispatcher()
		if got := sendAll(t, d, 100); !equal(got, seq(100)) {
			t.Errorf("%s injector: order %v", name, got)
		}
		d.Close()
	}
}

func TestDuplicate(t *testing.T) {
	in := New(Config{Dup: 1})
	d := in.NewDispatcher()
	defer d.Close()
	if got := sendAll(t, d, 3); !equal(got, []int{0, 0, 1, 1, 2, 2}) {
		t.Errorf("got %v", got)
	}
	if s := in.Stats(); s.Duplicated != 3 || s.Delivered != 6 || s.Callbacks != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestDrop(t *testing.T) {
	in := New(Config{Drop: 1})
	d := in.NewDispatcher()
	defer d.Close()
	if got := sendAll(t, d, 5); len(got) != 0 {
		t.Errorf("delivered %v", got)
	}
	if s := in.Stats(); s.Dropped != 5 || s.Delivered != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestReorderSwaps(t *testing.T) {
	in := New(Config{Reorder: 1})
	// A long hold, so the swap does not depend on scheduling.
	d := in.newDispatcher(10 * time.Second)
	defer d.Close()
	if got := sendAll(t, d, 4); !equal(got, []int{1, 0, 3, 2}) {
		t.Errorf("got %v", got)
	}
	if s := in.Stats(); s.Reordered != 2 || s.Flushed != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestLoneHeldCallbackFlushed(t *testing.T) {
	in := New(Config{Reorder: 1})
	d := in.NewDispatcher()
	defer d.Close()
	start := time.Now()
	if got := sendAll(t, d, 1); !equal(got, []int{0}) {
		t.Fatalf("got %v", got)
	}
	if el := time.Since(start); el < holdFor {
		t.Errorf("delivered after %v, before the hold of %v", el, holdFor)
	}
	if s := in.Stats(); s.Reordered != 1 || s.Flushed != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestCloseDeliversHeldAndQueued(t *testing.T) {
	in := New(Config{Reorder: 1})
	d := in.newDispatcher(10 * time.Second)
	var l log
	d.Send(l.add(0))
	d.Close()
	d.Send(l.add(1))
	wait(t, d)
	if got := l.list(); !equal(got, []int{0}) {
		t.Errorf("got %v", got)
	}
	if s := in.Stats(); s.AfterClose != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestWait(t *testing.T) {
	d := New(Config{}).NewDispatcher()
	defer d.Close()
	release := make(chan struct{})
	var l log
	d.Send(func() { <-release; l.add(0)() })
	d.Send(l.add(1))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := d.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with a blocked callback = %v", err)
	}
	close(release)
	wait(t, d)
	if got := l.list(); !equal(got, []int{0, 1}) {
		t.Errorf("got %v", got)
	}
}

func TestCallbackSeedRepeatable(t *testing.T) {
	run := func() []int {
		d := New(Config{Drop: 0.3, Dup: 0.3, Seed: 7}).NewDispatcher()
		defer d.Close()
		return sendAll(t, d, 50)
	}
	a, b := run(), run()
	if !equal(a, b) {
		t.Errorf("same seed, different deliveries:\n%v\n%v", a, b)
	}
	if equal(a, seq(50)) {
		t.Error("no faults injected")
	}
}

func TestConcurrentSenders(t *testing.T) {
	in := New(Config{Dup: 0.2, Drop: 0.2, Reorder: 0.2, Seed: 3})
	d := in.NewDispatcher()
	defer d.Close()
	var wg sync.WaitGroup
	var l log
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				d.Send(l.add(g*100 + i))
			}
		})
	}
	wg.Wait()
	wait(t, d)
	s := in.Stats()
	if s.Callbacks != 200 || s.Delivered != int64(len(l.list())) || s.Delivered != 200-s.Dropped+s.Duplicated {
		t.Errorf("stats %+v, delivered %d", s, len(l.list()))
	}
}
