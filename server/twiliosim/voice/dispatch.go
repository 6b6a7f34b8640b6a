package voice

import (
	"context"
	"sync"
)

// queue is the default Dispatcher: in-order delivery on a goroutine that
// exists only while there is something to deliver.
type queue struct {
	mu      sync.Mutex
	items   []func()
	running bool
	idle    chan struct{} // closed while nothing is queued or running
}

func newQueue() *queue {
	idle := make(chan struct{})
	close(idle)
	return &queue{idle: idle}
}

func (q *queue) Send(f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, f)
	if !q.running {
		q.running = true
		q.idle = make(chan struct{})
		go q.drain()
	}
}

func (q *queue) drain() {
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.running = false
			close(q.idle)
			q.mu.Unlock()
			return
		}
		f := q.items[0]
		q.items = q.items[1:]
		q.mu.Unlock()
		f()
	}
}

func (q *queue) Wait(ctx context.Context) error {
	q.mu.Lock()
	idle := q.idle
	q.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close has nothing to release: the worker ends once the queue is empty.
func (q *queue) Close() {}
