package callflow

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// LegStatus is the status callback of a leg placed by a reservation's Call
// instruction (its CallStatusCallbackUrl): Twilio posts it when the leg ends.
type LegStatus struct {
	TaskSid    string // from our own URL: the task whose reservation placed the leg
	CallSid    string
	CallStatus string // completed, busy, failed, no-answer or canceled
	// Label, on the leg of a number added to the call, is its party's label
	// (TaskSid is then the call's record).
	Label string
}

// legEndStatuses are the call statuses of a leg that has ended.
var legEndStatuses = map[string]bool{"completed": true, "busy": true, "failed": true, "no-answer": true, "canceled": true}

// HandleLegStatus applies a leg's end: one more signal that the call is over
// for that agent, for when the conference's leave and end callbacks were
// lost, and the only one for a leg that never reached the conference. A
// leg the call's record names ends the call as leaving the conference does;
// any leg of a call that is over closes both tasks (wrap-up, or canceled
// when never accepted). A leg the record does not name, on a call still
// going, changes nothing.
func (f *Flow) HandleLegStatus(ctx context.Context, s LegStatus) error {
	if !legEndStatuses[s.CallStatus] {
		return nil
	}
	if s.Label != "" {
		return f.addedLegEnded(ctx, s)
	}
	t, ic, err := f.fetchInternal(ctx, s.TaskSid)
	if err != nil {
		return err
	}
	caller, cic, err := f.callerOf(ctx, t, ic)
	if err != nil {
		return err
	}
	// Signatures carry no nonce: a replayed callback must not end a call
	// whose leg is still up. Twilio's call resource decides.
	leg, err := f.voice.FetchCall(ctx, s.CallSid)
	if err != nil {
		if call.Is(err, call.NotFound) {
			return nil // no such call on this account: nothing to act on
		}
		return err
	}
	if !leg.Over() {
		f.log.Warn("leg status callback for a leg still up: ignored", "task_sid", s.TaskSid, "call_sid", s.CallSid)
		return nil
	}
	reason := "caller hung up"
	recorded := s.CallSid == cic.CallerCallSid
	if ic.Role == call.RoleCallee {
		reason, recorded = "callee hung up", s.CallSid == cic.CalleeCallSid
	}
	if r := recordOf(caller); multiparty(r) && !cic.Status.Final() {
		if label := labelOfTask(caller.Sid, r, t.Sid); label != "" {
			return f.partyLegEnded(ctx, caller.Sid, r, label, s.CallSid, reason)
		}
	}
	switch {
	case recorded || cic.Status.Final():
		return f.settle(ctx, caller.Sid, "", reason, true)
	case ic.Role == call.RoleCaller && leg.To == t.Attributes.TargetWorker &&
		cic.CallerCallSid == "" && cic.CalleeTaskSid == "" && cic.Claim == nil:
		// The status URL is the browser's choice: only a leg Twilio dialled
		// to the caller's own address counts, so nobody ends another's call.
		return f.callerLegLost(ctx, caller.Sid, leg)
	case ic.Role == call.RoleCallee && cic.Status == call.StatusRinging && t.AssignmentStatus == call.TaskAssigned:
		return f.calleeLegLost(ctx, t, caller, cic, leg)
	}
	return nil
}

// callerLegLost ends a call whose caller's leg ended before the call was set
// up: their phone never answered (busy, failed, not picked up), or it
// answered but hung up before joining (its TwiML could not be served), and
// nothing else will say so. A leg that completed may still have joined with
// its join and ringback not seen yet: while the call's conference is live,
// the conference's own signals decide.
func (f *Flow) callerLegLost(ctx context.Context, callerSid string, leg *call.Leg) error {
	if leg.Status != "completed" {
		return f.settle(ctx, callerSid, call.StatusCanceled, "your phone did not answer ("+leg.Status+")", true)
	}
	live, err := f.voice.ConferenceByName(ctx, f.seal.ConferenceName(callerSid))
	if err != nil || live != "" {
		return err
	}
	f.log.Warn("the caller's leg ended before it joined: ending the call", "task_sid", callerSid, "call_sid", leg.Sid)
	return f.settle(ctx, callerSid, call.StatusFailed, "your phone hung up before the call connected", true)
}

// calleeLegLost ends a call whose callee answered but whose leg ended before
// it joined: nothing can connect it any more, and the caller would otherwise
// hear ringback until the ring timeout and then "nobody answered". Only a
// leg dialled to the callee counts, and only while the conference has not
// started (the callee's arrival starts it: once started, their join may
// merely have been lost, and the other signals decide).
func (f *Flow) calleeLegLost(ctx context.Context, callee, caller *call.Task, cic *call.InternalCall, leg *call.Leg) error {
	ok, err := f.legBelongsToWorker(ctx, nil, callee.Sid, caller.Attributes, leg.To)
	if err != nil || !ok {
		return err
	}
	status, err := f.voice.ConferenceStatus(ctx, cic.ConferenceSid)
	if err != nil || status != call.ConferenceInit {
		return ignoreEnded(err)
	}
	f.log.Warn("the callee's leg ended before it joined: ending the call", "task_sid", caller.Sid, "call_sid", leg.Sid)
	return f.endUnanswered(ctx, caller.Sid, cic.CallerCallSid, call.StatusFailed, "the callee's phone hung up before the call connected", sayCouldNotRun)
}
