package callflow

import (
	"context"
	"errors"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// DefaultSweepGrace is how long past the ring timeout a call may still be
// setting up or ringing before the sweep ends it.
const DefaultSweepGrace = time.Minute

// sweepExpression finds the callers' tasks of calls that are not connected
// (TaskRouter's EvaluateTaskAttributes; with FindOpenTasks, tasks still
// open): setting up, ringing, or over by their record with the task still
// assigned. Connected calls, however long, are left out, so they never fill
// a sweep's batch. What it matches is only a candidate: each task is trusted
// from its seal before anything is done with it.
const sweepExpression = `internal_call.role == "caller" AND internal_call.status NOT IN ["connected"]`

// sweepBatch bounds the tasks one sweep reads (the oldest first).
const sweepBatch = 100

// Sweep ends the calls that nothing else will: every call is driven by the
// requests Twilio sends about it (TwiML fetches, ringback fetches, conference
// and leg callbacks), and when the one that was due never arrived — Twilio
// gave up on a ringback fetch that took too long, say, so the caller sits in
// silence and no further fetch comes — the call would stay "ringing" for
// ever. A caller's task still setting up or ringing long after the ring
// timeout (Settings.SweepGrace past it, counted from the task's creation,
// which is earlier than the ringback's start) is decided as the ring timeout
// decides it: the callee's offer withdrawn, both tasks told, the caller's leg
// told why and hung up; a call over by its record whose caller's task is
// still open has its leg told and hung up and both tasks closed. Every
// replica may sweep: the writes are conditional, and a call decided
// meanwhile is left as it is. It reports how many calls it ended.
func (f *Flow) Sweep(ctx context.Context) (int, error) {
	tasks, err := f.tr.FindOpenTasks(ctx, sweepExpression, sweepBatch)
	if err != nil {
		return 0, err
	}
	ended := 0
	var errs []error
	for _, t := range tasks {
		if t.Created.IsZero() {
			continue
		}
		late := f.now().Sub(t.Created) - f.s.RingTimeout
		if late < f.s.SweepGrace {
			break // oldest first: the rest are younger still
		}
		done, err := f.sweepCall(ctx, t, late)
		if err != nil {
			errs = append(errs, err)
		}
		if done {
			ended++
		}
	}
	return ended, errors.Join(errs...)
}

// sweepCall ends one overdue call; it reports whether it did.
func (f *Flow) sweepCall(ctx context.Context, t *call.Task, late time.Duration) (bool, error) {
	t, ic, err := f.trust(ctx, t, nil, nil)
	if err != nil {
		return false, ignoreForbidden(err)
	}
	if ic.Role != call.RoleCaller || ic.Status == call.StatusConnected {
		return false, nil
	}
	callSid := ic.CallerCallSid
	if callSid == "" {
		// The caller's join was never seen: the leg, if it is waiting, is
		// the conference's participant labelled caller.
		if callSid, err = f.waitingCaller(ctx, t.Sid); err != nil {
			return false, err
		}
	}
	f.log.Warn("sweep: a call still "+string(ic.Status)+" long after its ring timeout: ending it", "task_sid", t.Sid, "late", late.Round(time.Second))
	switch {
	case ic.Status.Final():
		// Over by its record, but the task is still open: the outcome was
		// written and what should have followed (telling the caller's leg,
		// the leg's leaving and its callbacks) never came.
		if err := f.finishLeg(ctx, callSid, ic.Status); err != nil {
			return false, err
		}
	case ic.Status == call.StatusInitiated && ic.CalleeTaskSid == "":
		if err := f.settle(ctx, t.Sid, call.StatusFailed, "the call could not be set up in time", true); err != nil {
			return false, err
		}
		return true, f.finishLeg(ctx, callSid, call.StatusFailed)
	default:
		extend, err := f.ringTimedOut(ctx, t, ic, RingbackRequest{TaskSid: t.Sid, CallSid: callSid}, late)
		if err != nil || extend {
			return false, err
		}
		if t, ic, err = f.fetchInternal(ctx, t.Sid); err != nil || !ic.Status.Final() {
			return false, err // connected meanwhile
		}
	}
	// Nothing else will close the tasks: close them now, with the outcome.
	return true, f.settle(ctx, t.Sid, ic.Status, ic.Reason, true)
}

// waitingCaller returns the call SID of the caller's leg waiting in the
// call's conference ("" when there is none).
func (f *Flow) waitingCaller(ctx context.Context, callerSid string) (string, error) {
	conf, err := f.voice.ConferenceByName(ctx, f.seal.ConferenceName(callerSid))
	if err != nil || conf == "" {
		return "", err
	}
	ps, err := f.voice.Participants(ctx, conf)
	if err != nil {
		return "", ignoreEnded(err)
	}
	for _, p := range ps {
		if p.Label == labelCaller {
			return p.CallSid, nil
		}
	}
	return "", nil
}

// ignoreForbidden drops the refusal of a task whose record the server cannot
// trust: the sweep leaves such a task alone.
func ignoreForbidden(err error) error {
	if call.Is(err, call.Forbidden) {
		return nil
	}
	return err
}
