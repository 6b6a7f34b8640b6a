package callflow

import (
	"net/http"
	"slices"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
)

// Agent is the Flex user behind a browser request, as Twilio IAM vouched for.
type Agent struct {
	WorkerSid string
	Identity  string
}

// Act performs a browser-initiated action on the call a task belongs to. The
// agent must hold a reservation on that task: an agent acts on their own calls only.
func (f *Flow) Act(who Agent, taskSid string, action call.CallAction) error {
	t, ic, err := f.fetchInternal(taskSid)
	if err != nil {
		return err
	}
	res, err := f.ownReservation(taskSid, who.WorkerSid)
	if err != nil {
		return err
	}
	callerSid := t.Sid
	if ic.Role == call.RoleCallee {
		callerSid = ic.CallerTaskSid
	}
	switch action {
	case call.ActionReject:
		return f.reject(t, ic, res)
	case call.ActionHangup:
		return f.hangup(callerSid, ic.Role)
	case call.ActionHold, call.ActionUnhold:
		return f.hold(callerSid, ic.Role, action == call.ActionHold)
	}
	return errorf(http.StatusNotFound, "unknown action %q", action)
}

// ownReservation returns the agent's live reservation on the task, or 403.
func (f *Flow) ownReservation(taskSid, workerSid string) (*twilioapi.Reservation, error) {
	res, err := f.tw.TaskReservations(f.s.WorkspaceSid, taskSid, workerSid)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if r.WorkerSid == workerSid && slices.Contains([]string{"pending", "accepted", "wrapping"}, r.Status) {
			return &r, nil
		}
	}
	return nil, errorf(http.StatusForbidden, "task %s is not yours", taskSid)
}

// reject declines an offered call. An agent call ends and the caller hears it
// was declined; a queue call is rejected back to the queue to reach someone else.
func (f *Flow) reject(t *twilioapi.Task, ic *call.InternalCall, res *twilioapi.Reservation) error {
	if ic.Role != call.RoleCallee || res.Status != "pending" {
		return errorf(http.StatusConflict, "only an offered call can be rejected")
	}
	if ic.Target == call.TargetQueue {
		return f.tw.RejectReservation(f.s.WorkspaceSid, t.Sid, res.Sid)
	}
	caller, cic, err := f.fetchInternal(ic.CallerTaskSid)
	if err != nil {
		return err
	}
	return f.endUnanswered(caller.Sid, cic.CallerCallSid, call.StatusDeclined, "declined", sayDeclined)
}

// hangup ends the call for both parties. Before the callee answers only the
// caller can hang up, which withdraws the offer.
func (f *Flow) hangup(callerSid string, role call.Role) error {
	caller, ic, err := f.fetchInternal(callerSid)
	if err != nil {
		return err
	}
	switch {
	case ic.Status == call.StatusConnected:
		return ignoreEnded(f.tw.EndConference(ic.ConferenceSid))
	case ic.Status.Final():
		return nil
	case role == call.RoleCallee:
		return errorf(http.StatusConflict, "the call is not connected yet: reject it instead")
	case ic.CallerCallSid == "":
		// The caller's leg is not in the conference yet: there is nothing to hang
		// up in Twilio; the leg, if it still comes, hears that the call ended.
		return f.settle(caller.Sid, call.StatusCanceled, "caller hung up", true)
	}
	if err := f.settle(caller.Sid, call.StatusCanceled, "caller hung up", false); err != nil {
		return err
	}
	return ignoreEnded(f.tw.EndCall(ic.CallerCallSid))
}

// hold puts the other party on hold (or takes them off it): holding yourself
// would only silence your own music.
func (f *Flow) hold(callerSid string, role call.Role, on bool) error {
	_, ic, err := f.fetchInternal(callerSid)
	if err != nil {
		return err
	}
	if ic.Status != call.StatusConnected {
		return errorf(http.StatusConflict, "the call is not connected")
	}
	other, otherRole := ic.CalleeCallSid, call.RoleCallee
	if role == call.RoleCallee {
		other, otherRole = ic.CallerCallSid, call.RoleCaller
	}
	if err := f.tw.HoldParticipant(ic.ConferenceSid, other, on); err != nil {
		return err
	}
	held := call.Role("")
	if on {
		held = otherRole
	}
	return f.setHeld(callerSid, ic.CalleeTaskSid, held)
}

// setHeld records on both tasks who is on hold, for both agents' displays.
func (f *Flow) setHeld(callerSid, calleeSid string, held call.Role) error {
	for _, sid := range []string{callerSid, calleeSid} {
		if sid == "" {
			continue
		}
		_, err := f.mutate(sid, func(t *twilioapi.Task, ic *call.InternalCall) *twilioapi.TaskUpdate {
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
	if err == nil || twilioapi.StatusOf(err) == http.StatusNotFound {
		return nil
	}
	// 21220: the call is not in progress any more.
	if twilioapi.CodeOf(err) == 21220 {
		return nil
	}
	return err
}
