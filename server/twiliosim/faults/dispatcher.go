package faults

import (
	"context"
	"sync"
	"time"
)

// holdFor is how long a reordered callback waits for a next one before it is
// delivered anyway: reordering must never silently become a drop.
const holdFor = 50 * time.Millisecond

// Dispatcher delivers one stream's callbacks (one conference, say) in order,
// one at a time, on its own goroutine, applying the Injector's drop, duplicate
// and reorder faults. Senders never block on delivery.
type Dispatcher struct {
	in   *Injector
	hold time.Duration // holdFor; tests lengthen it

	mu      sync.Mutex
	queue   []item
	nextSeq uint64
	pending map[uint64]struct{} // sent, not yet delivered or dropped
	changed chan struct{}       // closed and replaced whenever one settles
	closed  bool

	wake chan struct{} // capacity 1: "the queue or closed changed"
}

type item struct {
	seq uint64
	fn  func()
}

// NewDispatcher starts a stream. A nil Injector gives a plain ordered stream.
func (in *Injector) NewDispatcher() *Dispatcher { return in.newDispatcher(holdFor) }

func (in *Injector) newDispatcher(hold time.Duration) *Dispatcher {
	d := &Dispatcher{
		in:      in,
		hold:    hold,
		pending: map[uint64]struct{}{},
		changed: make(chan struct{}),
		wake:    make(chan struct{}, 1),
	}
	go d.run()
	return d
}

// Send queues fn for delivery after everything sent before it (faults aside).
// After Close it is ignored (and counted in Stats.AfterClose).
func (d *Dispatcher) Send(fn func()) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		d.in.counters().afterClose.Add(1)
		return
	}
	it := item{seq: d.nextSeq, fn: fn}
	d.nextSeq++
	d.pending[it.seq] = struct{}{}
	d.queue = append(d.queue, it)
	d.mu.Unlock()
	d.in.counters().callbacks.Add(1)
	d.poke()
}

// Wait blocks until every callback sent before the call was delivered or
// dropped (a held one included), or ctx ends. Do not call it from inside a
// callback of the same stream: that callback is what it would wait for.
func (d *Dispatcher) Wait(ctx context.Context) error {
	d.mu.Lock()
	target := d.nextSeq
	d.mu.Unlock()
	for {
		d.mu.Lock()
		done := true
		for seq := range d.pending {
			if seq < target {
				done = false
				break
			}
		}
		changed := d.changed
		d.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops accepting callbacks. Those already sent are still delivered (a
// held one at once), then the goroutine exits. Close does not wait; Wait does.
func (d *Dispatcher) Close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.poke()
}

func (d *Dispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *Dispatcher) run() {
	type held struct {
		item
		dup bool
	}
	var h *held
	c := d.in.counters()
	for {
		it, ok := d.take(h != nil)
		if !ok {
			if h == nil {
				return // closed and drained
			}
			c.flushed.Add(1)
			d.deliver(h.item, h.dup)
			h = nil
			continue
		}
		f := d.in.decideCallback(h == nil)
		switch {
		case f.drop:
			c.dropped.Add(1)
			d.settle(it.seq)
		case f.hold:
			c.reordered.Add(1)
			h = &held{it, f.dup}
		default:
			d.deliver(it, f.dup)
			if h != nil {
				d.deliver(h.item, h.dup)
				h = nil
			}
		}
	}
}

// take returns the next queued item. While holding one back it waits at most
// d.hold; ok is false then, and when the stream is closed and drained.
func (d *Dispatcher) take(holding bool) (it item, ok bool) {
	var timeout <-chan time.Time
	if holding {
		t := time.NewTimer(d.hold)
		defer t.Stop()
		timeout = t.C
	}
	for {
		d.mu.Lock()
		if len(d.queue) > 0 {
			it = d.queue[0]
			d.queue[0] = item{} // let fn be collected
			d.queue = d.queue[1:]
			d.mu.Unlock()
			return it, true
		}
		closed := d.closed
		d.mu.Unlock()
		if closed {
			return item{}, false
		}
		select {
		case <-d.wake:
		case <-timeout:
			return item{}, false
		}
	}
}

func (d *Dispatcher) deliver(it item, dup bool) {
	c := d.in.counters()
	it.fn()
	c.delivered.Add(1)
	if dup {
		it.fn()
		c.delivered.Add(1)
		c.duplicated.Add(1)
	}
	d.settle(it.seq)
}

func (d *Dispatcher) settle(seq uint64) {
	d.mu.Lock()
	delete(d.pending, seq)
	close(d.changed)
	d.changed = make(chan struct{})
	d.mu.Unlock()
}
