package callflow

import (
	"context"
	"errors"
	"strings"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/twilio/twilio-go/twiml"
)

// What happens when an agent on a connected call transfers it.
//
//  1. The record (the caller's task) gets the target as a party, ringing,
//     and the transfer in progress, with a claim — conditional on its
//     revision, as for the callee's task: one transfer at a time, its task
//     created exactly once. Nobody in the conference ends it on leaving
//     from here on.
//  2. The target's task is created in the Internal Call workflow (routed
//     by targetWorker, or callToQueue for a queue), linked to the call by
//     conversations.conversation_id, its own internal_call naming the
//     record (role target) and its participant label beside it; then
//     recorded and sealed.
//  3. The target accepts: their leg fetches the callee TwiML with their
//     task and joins the conference under their label. Cold: the
//     transferring agent's leg then leaves and their task wraps up. Warm:
//     all talk until the transferring agent completes (leaves) or cancels
//     (the target leaves).
//  4. Declined, not answered within the ring timeout, or withdrawn: the
//     target's task ends, the record says how, and the transferring agent
//     stays on the call.

// Transfer offers the call of the agent's task to another agent or a queue
// and returns the target's participant label.
func (f *Flow) Transfer(ctx context.Context, who call.FlexUser, taskSid string, req call.APITransfer) (string, error) {
	target, err := f.transferTarget(ctx, req)
	if err != nil {
		return "", err
	}
	a, err := f.currentParty(ctx, who, taskSid)
	if err != nil {
		return "", err
	}
	if err := f.reconcile(ctx, a.callerSid); err != nil {
		return "", err
	}
	rec, added, err := f.addParty(ctx, a, target, call.LabelTransferPrefix, func(t *call.Task, ic record) error {
		switch {
		case ic.Transfer != nil:
			return call.Errorf(call.Conflict, "a transfer is already in progress on this call")
		case alreadyOnCall(t, ic, target):
			return call.Errorf(call.Conflict, "%s is already on this call", target.Name)
		}
		return nil
	}, func(ic record, added call.Party) {
		ic.Transfer = &call.Transfer{Label: added.Label, By: a.label, Mode: req.Mode}
	})
	if err != nil {
		return "", err
	}
	sid, err := f.findOrCreateTarget(ctx, rec, added, nameOf(rec, a.label))
	if err != nil {
		f.log.Error("transfer target's task could not be created", "task_sid", a.callerSid, "label", added.Label, "error", err)
		return "", errors.Join(err, f.endParty(ctx, a.callerSid, added.Label, call.PartyFailed, "the transfer could not be routed"))
	}
	return added.Label, f.recordTarget(ctx, a.callerSid, added.Label, sid)
}

// recordTarget names the target's task on the record (dropping the claim)
// and seals the task; a task the record cannot take any more (the call
// ended, the transfer was withdrawn, another task is recorded) is withdrawn.
func (f *Flow) recordTarget(ctx context.Context, callerSid, label, sid string) error {
	withdrawn := false
	_, err := f.mutate(ctx, callerSid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		p := partyOf(ic, label)
		withdrawn = p == nil || p.Status.Final() || ic.Status.Final() || (p.TaskSid != "" && p.TaskSid != sid)
		if withdrawn || p.TaskSid == sid {
			return nil
		}
		p.TaskSid, p.Claim = sid, nil
		return ic.attrs(t)
	})
	if err != nil {
		return err
	}
	if withdrawn {
		return f.setPartyTask(ctx, sid, call.PartyCanceled, "the transfer was withdrawn", true)
	}
	// The record now vouches for the target's task; seal its own copy too.
	_, err = f.mutate(ctx, sid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		if ic.Seal != "" {
			return nil
		}
		return ic.attrs(t)
	})
	return errors.Join(err, f.publish(ctx, callerSid))
}

// transferTarget reads the target of a transfer request: an agent's
// contact URI or a queue the Internal Call workflow routes.
func (f *Flow) transferTarget(ctx context.Context, req call.APITransfer) (call.Party, error) {
	if !req.Mode.Valid() {
		return call.Party{}, call.Errorf(call.Invalid, "mode must be %q or %q", call.TransferCold, call.TransferWarm)
	}
	if name, ok := strings.CutPrefix(req.Target, call.QueueURIPrefix); ok {
		qs, err := f.Queues(ctx)
		if err != nil {
			return call.Party{}, err
		}
		for _, q := range qs {
			if q.Name == name {
				return call.Party{Kind: call.PartyQueue, Name: q.Name, Address: q.Name}, nil
			}
		}
		return call.Party{}, call.Errorf(call.Invalid, "queue %q is not one the Internal Call workflow routes", name)
	}
	if !call.ValidContactURI(req.Target) {
		return call.Party{}, call.Errorf(call.Invalid, "target must be an agent's contact URI (client:… or sip:…) or queue:<name>")
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || len(name) > 100 {
		name = req.Target
	}
	return call.Party{Kind: call.PartyAgent, Name: name, Address: req.Target}, nil
}

// alreadyOnCall reports whether an agent target is on the call already.
func alreadyOnCall(t *call.Task, ic record, target call.Party) bool {
	if target.Kind != call.PartyAgent {
		return false
	}
	a := t.Attributes
	if target.Address == a.TargetWorker && onCall(ic, call.LabelCaller) {
		return true
	}
	if ic.Target == call.TargetAgent && target.Address == a.To && onCall(ic, call.LabelCallee) {
		return true
	}
	for _, p := range ic.Parties {
		if p.Kind == call.PartyAgent && p.Address == target.Address && !p.Status.Final() {
			return true
		}
	}
	return false
}

// nameOf is the display name of a party of the call.
func nameOf(rec *call.Task, label string) string {
	a, ic := rec.Attributes, recordOf(rec)
	switch label {
	case call.LabelCaller:
		return a.FromName
	case call.LabelCallee:
		return reasonOr(a.Name, ic.PeerName)
	}
	if p := partyOf(ic, label); p != nil {
		return p.Name
	}
	return ""
}

// targetExpression finds, in TaskRouter's state, the task made for a party.
func targetExpression(callerSid, label string) (string, error) {
	if !call.ValidSID(call.PrefixTask, callerSid) || !call.IsPartyLabel(label) {
		return "", call.Errorf(call.Invalid, "no party %q of task %q", label, callerSid)
	}
	return `internal_call.role == "` + string(call.RoleTarget) + `" AND internal_call.caller_task_sid == "` + callerSid +
		`" AND ` + call.PartiesKey + `.label == "` + label + `"`, nil
}

// findOrCreateTarget creates the target's task, retried with backoff; a
// retry first looks for a task an earlier try made despite its error.
func (f *Flow) findOrCreateTarget(ctx context.Context, rec *call.Task, p call.Party, byName string) (string, error) {
	workflow, err := f.workflowSid()
	if err != nil {
		return "", err
	}
	expr, err := targetExpression(rec.Sid, p.Label)
	if err != nil {
		return "", err
	}
	task := call.NewTask{
		WorkflowSid: workflow,
		Attributes:  targetAttributes(rec, p, byName),
		// TaskRouter withdraws an offer nobody accepted within the ring
		// timeout by itself (the timeout counts until the task is assigned).
		Timeout: f.s.RingTimeout,
	}
	var lastErr error
	for attempt := 0; attempt < f.s.CreateAttempts; attempt++ {
		if attempt > 0 {
			if err := f.clock.Sleep(ctx, f.s.Retry.Delay(attempt)); err != nil {
				return "", errors.Join(lastErr, err)
			}
			found, err := f.tr.FindTasks(ctx, expr)
			if err != nil {
				lastErr = err
				continue
			}
			if len(found) > 0 {
				return found[0].Sid, nil
			}
		}
		t, err := f.tr.CreateTask(ctx, task)
		if err == nil {
			return t.Sid, nil
		}
		lastErr = err
		if !call.Is(err, call.Unavailable) {
			return "", err
		}
	}
	return "", lastErr
}

// targetAttributes are the attributes of a transfer target's task: an
// internal call as the callee's is, routed to the agent or the queue.
func targetAttributes(rec *call.Task, p call.Party, byName string) call.Attributes {
	ic := recordOf(rec)
	conv := rec.Sid
	if c := rec.Attributes.Conversations; c != nil && c.ConversationID != "" {
		conv = c.ConversationID
	}
	a := call.Attributes{
		ClientCall: true,
		Direction:  "inbound",
		From:       rec.Attributes.From,
		Name:       byName,
		FromName:   byName,
		AutoAnswer: "false",
		Conference: &call.Conference{Sid: ic.ConferenceSid},
		InternalCall: &call.InternalCall{
			Role:          call.RoleTarget,
			Target:        call.TargetAgent,
			Status:        call.StatusRinging,
			PeerName:      byName,
			CallerTaskSid: rec.Sid,
			ConferenceSid: ic.ConferenceSid,
		},
		Conversations: &call.Conversations{ConversationID: conv},
	}
	if p.Kind == call.PartyQueue {
		a.InternalCall.Target = call.TargetQueue
		a.To, a.CallToQueue = call.QueueURIPrefix+p.Address, p.Address
	} else {
		a.To, a.TargetWorker = p.Address, p.Address
	}
	t := &call.Task{Attributes: a}
	setPartyState(t, &call.PartyState{Label: p.Label})
	return t.Attributes
}

// vouchForTarget accepts an unsealed target task when the record it names
// names it back (the server created it and has not sealed it yet). Right
// after the create the record may not name it yet: that is waited for.
func (f *Flow) vouchForTarget(ctx context.Context, t *call.Task) error {
	ic := recordOf(t)
	notOurs := call.Errorf(call.Forbidden, "task %s is not a call this server set up", t.Sid)
	if !call.ValidSID(call.PrefixTask, ic.CallerTaskSid) || !call.IsPartyLabel(ic.Label) {
		return notOurs
	}
	for wait := 0; ; wait++ {
		rec, err := f.fetchTask(ctx, ic.CallerTaskSid)
		if err != nil {
			if call.Is(err, call.NotFound) {
				return notOurs
			}
			return err
		}
		if cic := rec.Attributes.InternalCall; cic == nil || cic.Role != call.RoleCaller || !f.seal.Verify(rec) {
			return notOurs
		}
		p := partyOf(recordOf(rec), ic.Label)
		switch {
		case p == nil:
			return notOurs
		case p.TaskSid == t.Sid:
			return nil
		case p.TaskSid != "" || p.Claim == nil:
			return notOurs
		case wait >= len(linkWaits):
			return call.Errorf(call.Conflict, "the transfer of task %s is still being set up; try again", t.Sid)
		}
		if err := f.clock.Sleep(ctx, linkWaits[wait]); err != nil {
			return call.Errorf(call.Conflict, "the transfer of task %s is still being set up; try again", t.Sid)
		}
	}
}

// targetTwiML joins a transfer target's leg to the call's conference under
// its label, once the record names its task and while it is offered.
func (f *Flow) targetTwiML(ctx context.Context, r LegRequest, t *call.Task, pre *prefetched) (string, error) {
	notForYou := func(why string) (string, error) { return f.refuseLeg("transfer target", r, why) }
	rec, _, err := f.callerOfFetched(ctx, t, internalCall(t), pre)
	if call.Is(err, call.Forbidden) {
		return notForYou(err.Error())
	}
	if err != nil {
		return "", err
	}
	cic := recordOf(rec)
	p := partyOfTask(cic, t.Sid)
	if p == nil {
		return notForYou("not a transfer target's task")
	}
	ok := false
	if p.Kind == call.PartyAgent {
		ok = r.To != "" && r.To == p.Address
	} else {
		ok, err = f.reservedTo(ctx, pre, t.Sid, r.To, call.ReservationPending, call.ReservationAccepted)
		if err != nil {
			return "", err
		}
	}
	if !ok {
		return notForYou("the leg was not dialled to the transfer's target")
	}
	if cic.Status != call.StatusConnected || p.Status.Final() || cic.ConferenceSid == "" {
		return sayAndHangUp(sayCallEnded), nil
	}
	status, err := pre.conferenceStatus(ctx, f, cic.ConferenceSid)
	if err != nil {
		return "", err
	}
	if status == call.ConferenceCompleted {
		return sayAndHangUp(sayCallEnded), nil
	}
	return render(f.partyConferenceVerb(rec.Sid, p.Label)), nil
}

// partyConferenceVerb is the <Dial><Conference> of an added agent: into the
// call's conference, which is going on already and outlives them.
func (f *Flow) partyConferenceVerb(callerTaskSid, label string) *twiml.VoiceDial {
	d := f.conferenceVerb(callerTaskSid, label, "")
	conf := d.InnerElements[0].(*twiml.VoiceConference)
	conf.StartConferenceOnEnter, conf.EndConferenceOnExit = "true", "false"
	return d
}

// currentPartyReconciled is currentParty on a record brought up to date
// with Twilio first: the target's leg may be in before its join is seen.
func (f *Flow) currentPartyReconciled(ctx context.Context, who call.FlexUser, taskSid string) (*party, error) {
	a, err := f.currentParty(ctx, who, taskSid)
	if err != nil {
		return nil, err
	}
	if err := f.reconcile(ctx, a.callerSid); err != nil {
		return nil, err
	}
	return f.currentParty(ctx, who, taskSid)
}

// CompleteTransfer is the transferring agent leaving a warm transfer whose
// target has joined: the call goes on without them.
func (f *Flow) CompleteTransfer(ctx context.Context, who call.FlexUser, taskSid string) error {
	a, target, err := f.ownTransfer(ctx, who, taskSid, "complete")
	if err != nil {
		return err
	}
	if target.Status != call.PartyJoined {
		return call.Errorf(call.Conflict, "the transfer's target has not joined yet")
	}
	return f.leaveCall(ctx, a.callerSid, a.label, "transferred to "+target.Name)
}

// ownTransfer is the agent's party on a call with a transfer in progress
// that they started (the record brought up to date first), and the
// transfer's target; verb says, in the refusal, what only they can do.
func (f *Flow) ownTransfer(ctx context.Context, who call.FlexUser, taskSid, verb string) (*party, *call.Party, error) {
	a, err := f.currentPartyReconciled(ctx, who, taskSid)
	if err != nil {
		return nil, nil, err
	}
	tr := a.cic.Transfer
	switch {
	case tr == nil:
		return nil, nil, call.Errorf(call.Conflict, "no transfer is in progress on this call")
	case tr.By != a.label:
		return nil, nil, call.Errorf(call.Forbidden, "only the agent who started the transfer can %s it", verb)
	}
	return a, partyOf(a.cic, tr.Label), nil
}

// CancelTransfer withdraws the transfer in progress: an offer still ringing
// is withdrawn, a target who joined leaves. The transferring agent stays.
func (f *Flow) CancelTransfer(ctx context.Context, who call.FlexUser, taskSid string) error {
	a, p, err := f.ownTransfer(ctx, who, taskSid, "cancel")
	if err != nil {
		return err
	}
	if p.Status == call.PartyJoined {
		return f.leaveCall(ctx, a.callerSid, p.Label, "the transfer was canceled")
	}
	if p.TaskSid != "" {
		accepted, err := f.withdrawOffer(ctx, p.TaskSid)
		if err != nil {
			return err
		}
		if accepted {
			// Answered meanwhile: the leg is on its way; it hears that the
			// call ended (the party is canceled below).
			f.log.Info("transfer canceled after the target accepted", "task_sid", a.callerSid, "label", p.Label)
		}
	}
	return f.endParty(ctx, a.callerSid, p.Label, call.PartyCanceled, "the transfer was canceled")
}

// declineTransfer is a target agent rejecting the offer: the transferring
// agent is told (the record says declined) and stays on the call. A queue
// target's offer is rejected back to the queue instead, to reach someone else.
func (f *Flow) declineTransfer(ctx context.Context, t *call.Task, ic record, res *call.Reservation) error {
	if res.Status != call.ReservationPending {
		return call.Errorf(call.Conflict, "only an offered call can be rejected")
	}
	if ic.Target == call.TargetQueue {
		return f.tr.RejectReservation(ctx, t.Sid, res.Sid)
	}
	return f.endParty(ctx, ic.CallerTaskSid, ic.Label, call.PartyDeclined, "declined")
}
