package search

import (
	"sort"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// QueueName is how a queue is shown: its friendly name, else its name.
func QueueName(q frameproto.Queue) string {
	if q.FriendlyName != "" {
		return q.FriendlyName
	}
	return q.Name
}

// Queues is the searchable list of callable queues, by name.
type Queues struct {
	queues []frameproto.Queue
	index  *Index
}

// NewQueues orders the queues by name; queues without a name cannot be called
// and are left out.
func NewQueues(all []frameproto.Queue) *Queues {
	qs := make([]frameproto.Queue, 0, len(all))
	for _, q := range all {
		if q.Name != "" {
			qs = append(qs, q)
		}
	}
	sort.SliceStable(qs, func(a, b int) bool { return Fold(QueueName(qs[a])) < Fold(QueueName(qs[b])) })
	fields := make([][]string, len(qs))
	for i, q := range qs {
		fields[i] = []string{q.FriendlyName, q.Name}
	}
	return &Queues{queues: qs, index: NewIndex(fields)}
}

// Len is the number of callable queues.
func (q *Queues) Len() int { return len(q.queues) }

// Search returns the best limit queues for the text and how many match.
func (q *Queues) Search(text string, limit int) (queues []frameproto.Queue, total int) {
	hits, total := q.index.Search(ParseQuery(text), limit, nil)
	queues = make([]frameproto.Queue, len(hits))
	for i, h := range hits {
		queues[i] = q.queues[h]
	}
	return queues, total
}

// Lookup finds a queue by its name (the callToQueue value).
//
// Not inlined: the loop, copied into each of the dialpad's many callers,
// costs more WebAssembly than the call.
//
//go:noinline
func (q *Queues) Lookup(name string) (frameproto.Queue, bool) {
	for _, x := range q.queues {
		if x.Name == name {
			return x, true
		}
	}
	return frameproto.Queue{}, false
}
