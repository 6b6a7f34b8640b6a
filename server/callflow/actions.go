package callflow

import (
	"context"
	"errors"
	"slices"

	"github.com/flex-internal-call/internal-call/call"
)

// Act performs a browser-initiated action on the call a task belongs to. The
// agent must hold a reservation on that task: an agent acts on their own calls only.
func (f *Flow) Act(ctx context.Context, who call.FlexUser, taskSid string, action call.CallAction) error {
	// Whose task it is comes from TaskRouter's reservations; what the task
	// says of the call is trusted only as fetchInternal decides.
	res, err := f.ownReservation(ctx, taskSid, who.WorkerSid)
	if err != nil {
		return err
	}
	t, ic, err := f.fetchInternal(ctx, taskSid)
	if err != nil {
		return err
	}
	caller, cic, err := f.callerOf(ctx, t, ic)
	if err != nil {
		return err
	}
	if cic.Status == call.StatusRinging && action != call.ActionReject {
		// The agent's click is a signal too: the callee's leg may be in
		// although neither its join nor the conference start was seen.
		if err := f.connectIfCalleeIn(ctx, caller.Sid, cic.ConferenceSid); err != nil {
			return err
		}
	}
	if ic.Role == call.RoleTarget || multiparty(recordOf(caller)) {
		return f.actWithParties(ctx, t, recordOf(t), res, caller, recordOf(caller), action)
	}
	switch action {
	case call.ActionReject:
		return f.reject(ctx, t, ic, res)
	case call.ActionHangup:
		return f.hangup(ctx, caller.Sid, ic.Role)
	case call.ActionHold, call.ActionUnhold:
		return f.hold(ctx, caller.Sid, ic.Role, action == call.ActionHold)
	}
	return call.Errorf(call.NotFound, "unknown action %q", action)
}

// ownReservation returns the agent's live reservation on the task, or 403.
func (f *Flow) ownReservation(ctx context.Context, taskSid, workerSid string) (*call.Reservation, error) {
	res, err := f.tr.TaskReservations(ctx, taskSid, workerSid)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if r.WorkerSid == workerSid && slices.Contains([]string{call.ReservationPending, call.ReservationAccepted, call.ReservationWrapping}, r.Status) {
			return &r, nil
		}
	}
	return nil, call.Errorf(call.Forbidden, "task %s is not yours", taskSid)
}

// reject declines an offered call. An agent call ends and the caller hears it
// was declined; a queue call is rejected back to the queue to reach someone else.
func (f *Flow) reject(ctx context.Context, t *call.Task, ic *call.InternalCall, res *call.Reservation) error {
	if ic.Role != call.RoleCallee || res.Status != call.ReservationPending {
		return call.Errorf(call.Conflict, "only an offered call can be rejected")
	}
	if ic.Target == call.TargetQueue {
		return f.tr.RejectReservation(ctx, t.Sid, res.Sid)
	}
	caller, cic, err := f.fetchInternal(ctx, ic.CallerTaskSid)
	if err != nil {
		return err
	}
	return f.endUnanswered(ctx, caller.Sid, cic.CallerCallSid, call.StatusDeclined, "declined", sayDeclined)
}

// hangup ends the call for both parties. Before the callee answers only the
// caller can hang up, which withdraws the offer.
func (f *Flow) hangup(ctx context.Context, callerSid string, role call.Role) error {
	caller, ic, err := f.fetchInternal(ctx, callerSid)
	if err != nil {
		return err
	}
	switch {
	case ic.Status == call.StatusConnected:
		return ignoreEnded(f.voice.EndConference(ctx, ic.ConferenceSid))
	case ic.Status.Final():
		// Over by the record; end whatever of it Twilio still has (a caller
		// who could not be told, a callee who joined meanwhile) and close
		// the tasks. Each step is a no-op when it is already done.
		var errs []error
		if ic.ConferenceSid != "" {
			errs = append(errs, ignoreEnded(f.voice.EndConference(ctx, ic.ConferenceSid)))
		}
		errs = append(errs, f.endLeg(ctx, ic.CallerCallSid), f.settle(ctx, caller.Sid, "", string(role)+" hung up", true))
		return errors.Join(errs...)
	case role == call.RoleCallee:
		return call.Errorf(call.Conflict, "the call is not connected yet: reject it instead")
	case ic.CallerCallSid == "":
		// The caller's leg is not in the conference yet: there is nothing to hang
		// up in Twilio; the leg, if it still comes, hears that the call ended.
		return f.settle(ctx, caller.Sid, call.StatusCanceled, "caller hung up", true)
	}
	if err := f.settle(ctx, caller.Sid, call.StatusCanceled, "caller hung up", false); err != nil {
		return err
	}
	return ignoreEnded(f.voice.EndCall(ctx, ic.CallerCallSid))
}

// hold puts the other party on hold (or takes them off it): holding yourself
// would only silence your own music.
func (f *Flow) hold(ctx context.Context, callerSid string, role call.Role, on bool) error {
	_, ic, err := f.fetchInternal(ctx, callerSid)
	if err != nil {
		return err
	}
	if ic.Status != call.StatusConnected {
		return call.Errorf(call.Conflict, "the call is not connected")
	}
	other, otherRole := ic.CalleeCallSid, call.RoleCallee
	if role == call.RoleCallee {
		other, otherRole = ic.CallerCallSid, call.RoleCaller
	}
	if ic.Held == role {
		// Only the agent who held can resume: the held party pressing either
		// button would otherwise act on the agent who is not held.
		return call.Errorf(call.Conflict, "you are on hold: only the other agent can take you off hold")
	}
	if !on && ic.Held == "" {
		return nil // nobody is on hold
	}
	if err := f.voice.HoldParticipant(ctx, ic.ConferenceSid, other, on); err != nil {
		return err
	}
	held := call.Role("")
	if on {
		held = otherRole
	}
	return f.setHeld(ctx, callerSid, ic.CalleeTaskSid, held)
}

// setHeld records on both tasks who is on hold, for both agents' displays.
func (f *Flow) setHeld(ctx context.Context, callerSid, calleeSid string, held call.Role) error {
	for _, sid := range []string{callerSid, calleeSid} {
		if sid == "" {
			continue
		}
		_, err := f.mutate(ctx, sid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
			if ic.Held == held || ic.Status.Final() {
				return nil
			}
			ic.Held = held
			return attrs(t)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ignoreEnded treats "that call or conference is already over" as success:
// the goal of ending it is met.
func ignoreEnded(err error) error {
	if err == nil || call.Is(err, call.NotFound) {
		return nil
	}
	return err
}
