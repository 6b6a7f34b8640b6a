// Package callwatch follows internal calls from outside the call flow: it
// wraps the TaskRouter the flow writes through, and reads each call's
// progress from those writes. The flow changes a call's status only by a
// conditional update (If-Match) of the revision it has just fetched, so a
// status change is seen exactly once, by the replica whose write won, and
// the status it changed from is the one of that revision.
package callwatch

import (
	"context"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
)

// Recorder is told what happens to calls (the server's metrics implement it).
type Recorder interface {
	// CalleeTaskCreated is a callee task created for a call to target.
	CalleeTaskCreated(target call.TargetKind)
	// CallReached is a call reaching status: connected, or a final status.
	CallReached(status call.Status)
	// PhaseTook is the duration of one phase of a call (Phase… constants).
	PhaseTook(phase string, d time.Duration)
}

// Phases of a call whose durations are recorded.
const (
	// PhaseClickToRinging runs from the caller's task being created (the
	// agent's click) to the callee being offered the call.
	PhaseClickToRinging = "click_to_ringing"
	// PhaseRingingToConnected runs from the callee's task being created to
	// the callee's leg joining the call.
	PhaseRingingToConnected = "ringing_to_connected"
	// PhaseTalk runs from connected to hung up.
	PhaseTalk = "talk"
)

// Bounds of what a watch remembers.
const (
	// revisions: what each revision fetched said, until the update that
	// follows the fetch (a few Twilio round trips later).
	revisionCacheSize = 20000
	revisionTTL       = time.Minute
	// connections: when this replica connected each call, until it ends.
	connectionCacheSize = 50000
	connectionTTL       = 12 * time.Hour
)

// TaskRouter is a callflow.TaskRouter that tells a Recorder about the calls
// whose records pass through it.
type TaskRouter struct {
	callflow.TaskRouter
	rec Recorder
	now func() time.Time
	// fetched holds the revisions fetched, by task and ETag: a fetch of the
	// revision an update has just made must not hide the one it replaced.
	fetched *expirable.LRU[revisionKey, revision]
	// connected holds when this replica wrote "connected" on a caller's
	// record. Talk time is measured only when the same replica also writes
	// its end: behind a load balancer, a sample of the calls.
	connected *expirable.LRU[string, time.Time]
}

type revisionKey struct{ sid, etag string }

// revision is what a fetch said about a task's call.
type revision struct {
	role    call.Role
	status  call.Status
	created time.Time
}

// Watch wraps tr.
func Watch(tr callflow.TaskRouter, rec Recorder) *TaskRouter {
	return &TaskRouter{
		TaskRouter: tr, rec: rec, now: time.Now,
		fetched:   expirable.NewLRU[revisionKey, revision](revisionCacheSize, nil, revisionTTL),
		connected: expirable.NewLRU[string, time.Time](connectionCacheSize, nil, connectionTTL),
	}
}

// FetchTask remembers the revision fetched.
func (w *TaskRouter) FetchTask(ctx context.Context, sid string) (*call.Task, error) {
	t, err := w.TaskRouter.FetchTask(ctx, sid)
	if err == nil && t.ETag != "" {
		// Until the server seals a caller's record, it is the browser's
		// request, whatever status it claims: the flow treats it as initiated.
		r := revision{created: t.Created, status: call.StatusInitiated, role: call.RoleCaller}
		if ic := t.Attributes.InternalCall; ic != nil && (ic.Seal != "" || ic.Role == call.RoleCallee) {
			r.role, r.status = ic.Role, ic.Status
		}
		w.fetched.Add(revisionKey{sid, t.ETag}, r)
	}
	return t, err
}

// UpdateTask tells the recorder of the status change a conditional update
// of a fetched revision made.
func (w *TaskRouter) UpdateTask(ctx context.Context, sid string, u call.TaskUpdate) (*call.Task, error) {
	t, err := w.TaskRouter.UpdateTask(ctx, sid, u)
	if err != nil || u.IfMatch == "" {
		return t, err
	}
	key := revisionKey{sid, u.IfMatch}
	prev, ok := w.fetched.Peek(key)
	if !ok {
		return t, err
	}
	w.fetched.Remove(key)
	if u.Attributes != nil && u.Attributes.InternalCall != nil {
		w.changed(sid, prev, u.Attributes.InternalCall.Status)
	}
	return t, err
}

// CreateTask counts the callee tasks created (the flow creates no other).
func (w *TaskRouter) CreateTask(ctx context.Context, nt call.NewTask) (*call.Task, error) {
	t, err := w.TaskRouter.CreateTask(ctx, nt)
	if err == nil {
		w.rec.CalleeTaskCreated(nt.Attributes.Kind())
	}
	return t, err
}
