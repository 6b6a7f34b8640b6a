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

// WorkerByContact returns the worker with the contact_uri (a TaskRouter
// worker list by TargetWorkersExpression).
func (tw *Twilio) WorkerByContact(ctx context.Context, contactURI string) (*call.Worker, error) {
	if err := tw.enter(ctx, "ListWorkers", contactURI); err != nil {
		return nil, err
	}
	sid := ""
	for s, uri := range tw.workers {
		if uri == contactURI {
			sid = s
		}
	}
	tw.mu.Unlock()
	if sid == "" {
		return nil, notFound("worker with contact_uri", contactURI)
	}
	return tw.FetchWorker(ctx, sid)
}

// UpdateWorkerAttributes replaces a worker's attributes but its contact_uri
// (kept by AddWorker); a stale ifMatch is call.Stale, as on Twilio (412).
func (tw *Twilio) UpdateWorkerAttributes(ctx context.Context, sid, attributes, ifMatch string) (*call.Worker, error) {
	if err := tw.enter(ctx, "UpdateWorker", sid); err != nil {
		return nil, err
	}
	if _, ok := tw.workers[sid]; !ok {
		tw.mu.Unlock()
		return nil, notFound("worker", sid)
	}
	w := tw.worker(sid)
	if ifMatch != "" && ifMatch != strconv.Itoa(w.revision) {
		tw.mu.Unlock()
		return nil, call.Errorf(call.Stale, "worker %s changed (Twilio 412)", sid)
	}
	attrs := map[string]any{}
	if err := json.Unmarshal([]byte(attributes), &attrs); err != nil {
		tw.mu.Unlock()
		return nil, call.Errorf(call.Refused, "worker attributes: %v (Twilio 400)", err)
	}
	delete(attrs, "contact_uri")
	w.attrs = attrs
	w.revision++
	tw.mu.Unlock()
	return tw.FetchWorker(ctx, sid)
}

// WorkerAttribute returns one attribute of a worker (nil when unset).
func (tw *Twilio) WorkerAttribute(sid, key string) any {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return tw.worker(sid).attrs[key]
}
