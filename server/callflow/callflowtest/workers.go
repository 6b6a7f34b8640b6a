package callflowtest

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/flex-internal-call/internal-call/call"
)

// Workers' names and other attributes, beside the contact_uri AddWorker
// records; a worker's revision counts its attribute writes.

type workerState struct {
	attrs    map[string]any
	revision int
}

// NameWorker sets a worker's full_name attribute.
func (tw *Twilio) NameWorker(sid, fullName string) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.worker(sid).attrs["full_name"] = fullName
}

// worker is the attribute state of a worker (the lock held).
func (tw *Twilio) worker(sid string) *workerState {
	if tw.workerAttrs == nil {
		tw.workerAttrs = map[string]*workerState{}
	}
	w := tw.workerAttrs[sid]
	if w == nil {
		w = &workerState{attrs: map[string]any{}}
		tw.workerAttrs[sid] = w
	}
	return w
}

// FetchWorker returns a worker: its contact_uri and other attributes, and
// its revision as ETag.
func (tw *Twilio) FetchWorker(ctx context.Context, sid string) (*call.Worker, error) {
	if err := tw.enter(ctx, "FetchWorker", sid); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	uri, ok := tw.workers[sid]
	if !ok {
		return nil, notFound("worker", sid)
	}
	w := tw.worker(sid)
	attrs := map[string]any{}
	for k, v := range w.attrs {
		attrs[k] = v
	}
	attrs["contact_uri"] = uri
	b, err := json.Marshal(attrs)
	if err != nil {
		return nil, err
	}
	return &call.Worker{Sid: sid, FriendlyName: uri, Attributes: string(b), ETag: strconv.Itoa(w.revision)}, nil
}
