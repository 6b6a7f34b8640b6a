package callflow

import (
	"context"
	"slices"

	"github.com/flex-internal-call/internal-call/call"
)

// Missed calls: when an agent call ends unanswered — it rang out, the
// callee's offer timed out, or the callee was busy and was never offered
// it — the callee finds it in their missed calls, kept where Flex keeps
// worker state: the callee worker's attributes (call.MissedCallsKey, newest
// first, at most call.MaxMissedCalls). Each entry goes when the agent calls
// back or dismisses it.
//
// The list is written with read-modify-write on the worker's revision
// (If-Match), retried when someone else (an admin, another replica, Flex)
// changed the worker in between. Who called comes from TaskRouter: the
// worker holding the caller task's reservation, never the task's attributes.

// recordMissed adds the call to its callee's missed calls (agent calls
// only). Best effort: the call is over either way, so a failure is logged,
// not returned.
func (f *Flow) recordMissed(ctx context.Context, callerSid string) {
	caller, cic, err := f.fetchInternal(ctx, callerSid)
	if err != nil || cic.Role != call.RoleCaller || cic.Target != call.TargetAgent || cic.Status != call.StatusNoAnswer {
		return
	}
	if err := f.addMissed(ctx, caller); err != nil {
		f.log.Warn("the missed call could not be recorded", "task_sid", callerSid, "error", err)
	}
}

func (f *Flow) addMissed(ctx context.Context, caller *call.Task) error {
	res, err := f.tr.TaskReservations(ctx, caller.Sid, "")
	if err != nil {
		return err
	}
	if len(res) == 0 {
		return call.Errorf(call.NotFound, "task %s: no reservation names its caller", caller.Sid)
	}
	from, err := f.tr.FetchWorker(ctx, res[0].WorkerSid)
	if err != nil {
		return err
	}
	entry := call.MissedCall{ID: caller.Sid, From: from.ContactURI(), FromName: from.Name(), FromWorkerSid: from.Sid, At: f.now().Unix()}
	callee, err := f.tr.WorkerByContact(ctx, caller.Attributes.To) // sealed
	if err != nil {
		return err
	}
	return f.changeMissed(ctx, callee.Sid, func(list []call.MissedCall) []call.MissedCall {
		if slices.ContainsFunc(list, func(m call.MissedCall) bool { return m.ID == entry.ID }) {
			return nil // recorded already (a repeated ring timeout)
		}
		return append([]call.MissedCall{entry}, list[:min(len(list), call.MaxMissedCalls-1)]...)
	})
}

// MissedCalls lists the agent's missed calls, newest first.
func (f *Flow) MissedCalls(ctx context.Context, who call.FlexUser) ([]call.MissedCall, error) {
	w, err := f.tr.FetchWorker(ctx, who.WorkerSid)
	if err != nil {
		return nil, err
	}
	list, _, err := call.MissedCalls(w.Attributes)
	if err != nil {
		return nil, call.Errorf(call.Unavailable, "worker %s: %v", who.WorkerSid, err)
	}
	if list == nil {
		list = []call.MissedCall{}
	}
	return list, nil
}

// DismissMissedCall removes one of the agent's missed calls (called back or
// dismissed). Removing one that is not there is not an error.
func (f *Flow) DismissMissedCall(ctx context.Context, who call.FlexUser, id string) error {
	return f.changeMissed(ctx, who.WorkerSid, func(list []call.MissedCall) []call.MissedCall {
		i := slices.IndexFunc(list, func(m call.MissedCall) bool { return m.ID == id })
		if i < 0 {
			return nil
		}
		return slices.Delete(list, i, i+1)
	})
}

// changeMissed applies change to a worker's missed calls on its latest
// revision; change returns nil when nothing needs writing.
func (f *Flow) changeMissed(ctx context.Context, workerSid string, change func([]call.MissedCall) []call.MissedCall) error {
	for attempt := 0; ; attempt++ {
		w, err := f.tr.FetchWorker(ctx, workerSid)
		if err != nil {
			return err
		}
		list, attrs, err := call.MissedCalls(w.Attributes)
		if err != nil {
			return call.Errorf(call.Unavailable, "worker %s: %v", workerSid, err)
		}
		next := change(slices.Clone(list))
		if next == nil {
			return nil
		}
		s, err := call.WithMissedCalls(attrs, next)
		if err != nil {
			return err
		}
		_, err = f.tr.UpdateWorkerAttributes(ctx, workerSid, s, w.ETag)
		if !call.Is(err, call.Stale) {
			return err
		}
		if attempt >= maxStaleRetries {
			return &call.Error{Code: call.Conflict, Msg: "worker " + workerSid + " keeps changing under us; try again", Err: err}
		}
	}
}
