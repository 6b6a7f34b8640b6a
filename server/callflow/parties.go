package callflow

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// A call with more than its two agents. The caller's task stays the call's
// record (the conference bears its name and its callbacks name it): its
// internal_call_parties (record.go; sealed with internal_call) lists the
// parties added (Parties), the labels of those who left while the call went
// on (Left) and the transfer in progress (Transfer). Every decision on who may act, and on when the
// conference ends, is taken on that record and on Twilio's participant
// list; the other tasks carry a copy for their agents' screens.
//
// The conference outlives whoever leaves while two remain: with three or
// more in (or a party still ringing), nobody has endConferenceOnExit; with
// two, both have it, as on a plain call; the last one alone is hung up.

// multiparty reports whether the call ever had a party added: its legs
// leaving are then handled one by one rather than ending the call.
func multiparty(ic record) bool { return len(ic.Parties) > 0 }

// partyOf returns the added party with the label (nil when none).
func partyOf(ic record, label string) *call.Party {
	for i := range ic.Parties {
		if ic.Parties[i].Label == label {
			return &ic.Parties[i]
		}
	}
	return nil
}

// partyOfTask returns the added party whose task is sid (nil when none).
func partyOfTask(ic record, sid string) *call.Party {
	for i := range ic.Parties {
		if sid != "" && ic.Parties[i].TaskSid == sid {
			return &ic.Parties[i]
		}
	}
	return nil
}

// namesTask reports whether a caller's sealed record names the task as
// the callee's or as an added party's.
func namesTask(rec *call.Task, cic *call.InternalCall, sid string) bool {
	return namesCallee(cic, sid) || (cic != nil && cic.Role == call.RoleCaller && cic.Seal != "" && partyOfTask(recordOf(rec), sid) != nil)
}

// labelOfTask is the participant label of a task of the call.
func labelOfTask(callerSid string, cic record, sid string) string {
	switch {
	case sid == callerSid:
		return call.LabelCaller
	case sid == cic.CalleeTaskSid:
		return call.LabelCallee
	}
	if p := partyOfTask(cic, sid); p != nil {
		return p.Label
	}
	return ""
}

// onCall reports whether the party with the label is in the call now, as
// the record says.
func onCall(ic record, label string) bool {
	switch label {
	case call.LabelCaller:
		return !slices.Contains(ic.Left, label)
	case call.LabelCallee:
		return ic.CalleeTaskSid != "" && ic.CalleeCallSid != "" && !slices.Contains(ic.Left, label)
	}
	p := partyOf(ic, label)
	return p != nil && p.Status == call.PartyJoined
}

// nextLabel numbers a new party's label after every party so far.
func nextLabel(ic record, prefix string) string {
	return prefix + strconv.Itoa(len(ic.Parties)+1)
}

// legAndTask are the call SID and task SID of the party with the label.
func legAndTask(callerSid string, ic record, label string) (leg, task string) {
	switch label {
	case call.LabelCaller:
		return ic.CallerCallSid, callerSid
	case call.LabelCallee:
		return ic.CalleeCallSid, ic.CalleeTaskSid
	}
	if p := partyOf(ic, label); p != nil {
		return p.CallSid, p.TaskSid
	}
	return "", ""
}

// labelOfLeg is the label of the party whose leg is callSid ("" when none).
func labelOfLeg(ic record, callSid string) string {
	switch {
	case callSid == "":
		return ""
	case callSid == ic.CallerCallSid:
		return call.LabelCaller
	case callSid == ic.CalleeCallSid:
		return call.LabelCallee
	}
	for _, p := range ic.Parties {
		if p.CallSid == callSid {
			return p.Label
		}
	}
	return ""
}

// ringing reports whether a party is still being offered or dialled.
func ringing(ic record) bool {
	return slices.ContainsFunc(ic.Parties, func(p call.Party) bool { return p.Status == call.PartyRinging })
}

// partyTaskStatus is the status a party's own task shows for the party's status.
func partyTaskStatus(s call.PartyStatus) call.Status {
	switch s {
	case call.PartyJoined:
		return call.StatusConnected
	case call.PartyDeclined:
		return call.StatusDeclined
	case call.PartyNoAnswer:
		return call.StatusNoAnswer
	case call.PartyCanceled:
		return call.StatusCanceled
	case call.PartyFailed:
		return call.StatusFailed
	case call.PartyLeft:
		return call.StatusEnded
	}
	return call.StatusRinging
}

// rebalance makes the conference's lifetime follow who is in it now
// (Twilio's participant list, less the legs the record says are leaving):
// one alone is hung up (the call is over), two both end it on leaving,
// three or more, or two with a party still ringing, none does.
func (f *Flow) rebalance(ctx context.Context, callerSid string) error {
	rec, _, err := f.fetchInternal(ctx, callerSid)
	if err != nil {
		return err
	}
	ic := recordOf(rec)
	if ic.Status != call.StatusConnected || ic.ConferenceSid == "" {
		return nil
	}
	ps, err := f.voice.Participants(ctx, ic.ConferenceSid)
	if err != nil {
		return ignoreEnded(err)
	}
	in := slices.DeleteFunc(ps, func(p call.Participant) bool {
		l := p.Label
		if l == "" {
			l = labelOfLeg(ic, p.CallSid)
		}
		return slices.Contains(ic.Left, l) || (call.IsPartyLabel(l) && partyOf(ic, l) != nil && partyOf(ic, l).Status.Final())
	})
	if len(in) <= 1 {
		f.log.Info("one party left alone: ending the call", "task_sid", callerSid, "conference_sid", ic.ConferenceSid)
		errs := []error{ignoreEnded(f.voice.EndConference(ctx, ic.ConferenceSid))}
		return errors.Join(append(errs, f.settle(ctx, callerSid, "", "the other parties left", true))...)
	}
	end := len(in) == 2 && !ringing(ic)
	var errs []error
	for _, p := range in {
		if p.EndOnExit != end {
			errs = append(errs, ignoreEnded(f.voice.SetEndConferenceOnExit(ctx, ic.ConferenceSid, p.CallSid, end)))
		}
	}
	return errors.Join(errs...)
}

// keepConferenceOpen clears endConferenceOnExit on everyone in before a
// party is added, so that nobody leaving ends the call for the others.
func (f *Flow) keepConferenceOpen(ctx context.Context, conferenceSid string) error {
	ps, err := f.voice.Participants(ctx, conferenceSid)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range ps {
		if p.EndOnExit {
			errs = append(errs, ignoreEnded(f.voice.SetEndConferenceOnExit(ctx, conferenceSid, p.CallSid, false)))
		}
	}
	return errors.Join(errs...)
}

// partyJoined records an added party's leg in the conference. A cold
// transfer's target joining takes the transferring agent off the call.
func (f *Flow) partyJoined(ctx context.Context, e ConferenceEvent) error {
	if withdrawn, err := f.targetWithdrawn(ctx, e); err != nil || withdrawn {
		return err
	}
	var joined call.Party
	var cold *call.Transfer
	late := false
	rec, err := f.mutate(ctx, e.CallerTaskSid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		joined, cold, late = call.Party{}, nil, false
		p := partyOf(ic, e.Label)
		if p == nil {
			return nil
		}
		joined = *p
		if ic.Status.Final() || ic.ConferenceSid != e.ConferenceSid || p.Status.Final() {
			late = true // withdrawn, or the call ended, while it rang
			return nil
		}
		if p.Status == call.PartyJoined && p.CallSid == e.CallSid {
			return nil
		}
		p.Status, p.CallSid, p.Claim = call.PartyJoined, e.CallSid, nil
		joined = *p
		if tr := ic.Transfer; tr != nil && tr.Label == p.Label && tr.Mode == call.TransferCold {
			cold = &call.Transfer{Label: tr.Label, By: tr.By, Mode: tr.Mode}
		}
		return ic.attrs(t)
	})
	if err != nil {
		return err
	}
	if joined.Label == "" {
		f.log.Warn("participant-join of a party the call's record does not know: ending the leg", "task_sid", e.CallerTaskSid, "label", e.Label)
		return f.endLeg(ctx, e.CallSid)
	}
	if late {
		f.log.Info("a party joined after it was withdrawn: ending its leg", "task_sid", e.CallerTaskSid, "label", e.Label)
		return f.endLeg(ctx, e.CallSid)
	}
	var errs []error
	if joined.TaskSid != "" {
		errs = append(errs, f.setPartyTask(ctx, joined.TaskSid, call.PartyJoined, "", false))
	}
	errs = append(errs, f.rebalance(ctx, rec.Sid))
	if cold != nil {
		errs = append(errs, f.leaveCall(ctx, rec.Sid, cold.By, "transferred to "+joined.Name))
	}
	errs = append(errs, f.publish(ctx, rec.Sid))
	return errors.Join(errs...)
}

// targetWithdrawn ends a target's leg that joins after TaskRouter withdrew
// their offer (its timeout is the ring timeout; it fired while their phone
// was answering): with no task, they could not hang up, and the call would
// never end. The party ends not answered; the transferrer stays on.
func (f *Flow) targetWithdrawn(ctx context.Context, e ConferenceEvent) (bool, error) {
	rec, _, err := f.fetchInternal(ctx, e.CallerTaskSid)
	if err != nil {
		return false, err
	}
	p := partyOf(recordOf(rec), e.Label)
	if p == nil || p.TaskSid == "" || p.Status != call.PartyRinging {
		return false, nil
	}
	t, err := f.tr.FetchTask(ctx, p.TaskSid)
	switch {
	case call.Is(err, call.NotFound):
	case err != nil:
		return false, err
	case t.AssignmentStatus != call.TaskCanceled:
		return false, nil
	}
	f.log.Info("a transfer target joined after TaskRouter withdrew the offer: ending their leg", "task_sid", e.CallerTaskSid, "label", e.Label)
	return true, errors.Join(f.endLeg(ctx, e.CallSid), f.endParty(ctx, e.CallerTaskSid, e.Label, call.PartyNoAnswer, "no answer"))
}

// leaveCall takes the party with the label off the call while it goes on:
// their leg is hung up, their task wraps up, and the conference's lifetime
// follows who remains. It is how a transferring agent leaves, how a party
// is removed, and what a party hanging up amounts to.
func (f *Flow) leaveCall(ctx context.Context, callerSid, label, reason string) error {
	var leg, task string
	rec, err := f.mutate(ctx, callerSid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		leg, task = legAndTask(t.Sid, ic, label)
		var u *call.TaskUpdate
		switch p := partyOf(ic, label); {
		case label == call.LabelCaller || label == call.LabelCallee:
			if !slices.Contains(ic.Left, label) {
				ic.Left = append(ic.Left, label)
				u = ic.attrs(t)
			}
		case p != nil && !p.Status.Final():
			p.Status, p.Reason, p.Claim = call.PartyLeft, reason, nil
			if p.CallSid == "" {
				p.Status = call.PartyCanceled
			}
			u = ic.attrs(t)
		}
		if tr := ic.Transfer; tr != nil && (tr.By == label || tr.Label == label) {
			// The transferring agent leaving completes the transfer; the
			// target leaving ends it.
			ic.Transfer = nil
			u = ic.attrs(t)
		}
		if label == call.LabelCaller {
			if u != nil {
				ic.Reason = reason
			}
			u = closeTask(t, u, reason)
		}
		return u
	})
	if err != nil {
		return err
	}
	status := call.PartyLeft
	if p := partyOf(recordOf(rec), label); p != nil {
		status = p.Status
	}
	errs := []error{f.endLeg(ctx, leg)}
	if task != "" && task != callerSid {
		errs = append(errs, f.setPartyTask(ctx, task, status, reason, true))
	}
	errs = append(errs, f.rebalance(ctx, callerSid), f.publish(ctx, callerSid))
	return errors.Join(errs...)
}

// endParty closes an added party that never joined (declined, not
// answered, failed, withdrawn): its record, its task, the transfer it was
// the target of.
func (f *Flow) endParty(ctx context.Context, callerSid, label string, status call.PartyStatus, reason string) error {
	var task string
	_, err := f.mutate(ctx, callerSid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		p := partyOf(ic, label)
		if p == nil || p.Status.Final() {
			return nil
		}
		task = p.TaskSid
		p.Status, p.Reason, p.Claim = status, reason, nil
		if tr := ic.Transfer; tr != nil && tr.Label == label {
			ic.Transfer = nil
		}
		return ic.attrs(t)
	})
	if err != nil {
		return err
	}
	var errs []error
	if task != "" {
		errs = append(errs, f.setPartyTask(ctx, task, status, reason, true))
	}
	errs = append(errs, f.rebalance(ctx, callerSid), f.publish(ctx, callerSid))
	return errors.Join(errs...)
}

// setPartyTask shows a party's status on their own task (the callee's or a
// target's) and, with closeIt, ends the task: wrap-up once assigned,
// withdrawn before that.
func (f *Flow) setPartyTask(ctx context.Context, sid string, s call.PartyStatus, reason string, closeIt bool) error {
	next := partyTaskStatus(s)
	_, err := f.mutate(ctx, sid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		var u *call.TaskUpdate
		if ic.Status != next && !ic.Status.Final() {
			ic.Status, ic.Reason, ic.Held = next, reason, ""
			u = ic.attrs(t)
		}
		if closeIt {
			u = closeTask(t, u, reason)
		}
		return u
	})
	return ignoreEnded(err)
}

// settleParties closes every added party of a call that is over: their
// tasks take the call's final status and end, and a number still ringing
// is hung up.
func (f *Flow) settleParties(ctx context.Context, cic record, reason string) error {
	var errs []error
	for _, p := range cic.Parties {
		if p.Status == call.PartyRinging && p.Kind == call.PartyExternal {
			errs = append(errs, f.endLeg(ctx, p.CallSid))
		}
		if p.TaskSid == "" {
			continue
		}
		status := p.Status
		switch status {
		case call.PartyJoined:
			status = call.PartyLeft
		case call.PartyRinging:
			status = call.PartyCanceled
		}
		errs = append(errs, f.setPartyTask(ctx, p.TaskSid, status, reason, true))
	}
	return errors.Join(errs...)
}

// publish copies the record's parties onto the other tasks still on the
// call, so that every agent's screen shows who is on it. The copies are
// for display: decisions read the record.
func (f *Flow) publish(ctx context.Context, callerSid string) error {
	rec, _, err := f.fetchInternal(ctx, callerSid)
	if err != nil {
		return err
	}
	ic := recordOf(rec)
	var sids []string
	if ic.CalleeTaskSid != "" && !slices.Contains(ic.Left, call.LabelCallee) {
		sids = append(sids, ic.CalleeTaskSid)
	}
	for _, p := range ic.Parties {
		if p.TaskSid != "" && !p.Status.Final() {
			sids = append(sids, p.TaskSid)
		}
	}
	var errs []error
	for _, sid := range sids {
		_, err := f.mutate(ctx, sid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
			tic := recordOf(t)
			if tic.Status.Final() || sameParties(tic, ic) {
				return nil
			}
			tic.Parties = slices.Clone(ic.Parties)
			tic.Left = slices.Clone(ic.Left)
			tic.Transfer = ic.Transfer
			return tic.attrs(t)
		})
		errs = append(errs, ignoreEnded(err))
	}
	return errors.Join(errs...)
}

func sameParties(a, b record) bool {
	return slices.Equal(a.Left, b.Left) && slices.EqualFunc(a.Parties, b.Parties, func(x, y call.Party) bool {
		return x.Label == y.Label && x.Status == y.Status && x.TaskSid == y.TaskSid && x.CallSid == y.CallSid && x.Reason == y.Reason
	}) && ((a.Transfer == nil) == (b.Transfer == nil)) && (a.Transfer == nil || *a.Transfer == *b.Transfer)
}

// reconcile moves on the parties still ringing from Twilio's state, for
// when nothing else said how their offer ended: a target's task that
// TaskRouter withdrew (its timeout is the ring timeout) or that rang past
// it, a number whose call ended before it joined.
func (f *Flow) reconcile(ctx context.Context, callerSid string) error {
	rec, _, err := f.fetchInternal(ctx, callerSid)
	if err != nil {
		return err
	}
	ic := recordOf(rec)
	if ic.Status != call.StatusConnected || !ringing(ic) {
		return nil
	}
	// A party whose leg is in although its join was not seen (lost, or
	// still on its way) has joined: Twilio's participant list says so.
	ps, err := f.voice.Participants(ctx, ic.ConferenceSid)
	if err != nil {
		return ignoreEnded(err)
	}
	joined := false
	for _, in := range ps {
		if p := partyOf(ic, in.Label); p != nil && p.Status == call.PartyRinging {
			ev := ConferenceEvent{CallerTaskSid: callerSid, ConferenceSid: ic.ConferenceSid, Event: EventParticipantJoin, CallSid: in.CallSid, Label: in.Label}
			if err := f.partyJoined(ctx, ev); err != nil {
				return err
			}
			joined = true
		}
	}
	if joined {
		if rec, _, err = f.fetchInternal(ctx, callerSid); err != nil {
			return err
		}
		if ic = recordOf(rec); ic.Status != call.StatusConnected {
			return nil
		}
	}
	var errs []error
	for _, p := range ic.Parties {
		if p.Status != call.PartyRinging {
			continue
		}
		if p.TaskSid == "" && p.CallSid == "" {
			errs = append(errs, f.takeOverClaim(ctx, callerSid, p))
			continue
		}
		if p.Kind == call.PartyExternal {
			leg, err := f.voice.FetchCall(ctx, p.CallSid)
			if err == nil && leg.Over() {
				errs = append(errs, f.endParty(ctx, callerSid, p.Label, numberOutcome(leg.Status), "the number did not answer ("+leg.Status+")"))
			} else if err != nil && !call.Is(err, call.NotFound) {
				errs = append(errs, err)
			}
			continue
		}
		if p.TaskSid == "" {
			continue
		}
		over := f.now().Sub(time.Unix(p.Since, 0)) >= f.s.RingTimeout
		t, err := f.tr.FetchTask(ctx, p.TaskSid)
		switch {
		case call.Is(err, call.NotFound):
			errs = append(errs, f.endParty(ctx, callerSid, p.Label, call.PartyNoAnswer, "no answer"))
		case err != nil:
			errs = append(errs, err)
		case t.AssignmentStatus == call.TaskCanceled:
			errs = append(errs, f.endParty(ctx, callerSid, p.Label, call.PartyNoAnswer, "no answer"))
		case over && t.AssignmentStatus != call.TaskAssigned:
			accepted, err := f.withdrawOffer(ctx, p.TaskSid)
			if err != nil {
				errs = append(errs, err)
			} else if !accepted {
				errs = append(errs, f.endParty(ctx, callerSid, p.Label, call.PartyNoAnswer, "no answer"))
			}
		case over && f.now().Sub(time.Unix(p.Since, 0)) >= f.s.RingTimeout+acceptGrace:
			// Accepted, but the leg never joined.
			errs = append(errs, f.endParty(ctx, callerSid, p.Label, call.PartyFailed, "the target answered but never joined"))
		}
	}
	return errors.Join(errs...)
}

// takeOverClaim finishes the set-up of a party whose claim expired before
// its task (or call) was recorded: the attempt that held it died. A target
// task it created is found and recorded; otherwise the party fails (a
// number it may have dialled is ended when it joins: the party is over).
func (f *Flow) takeOverClaim(ctx context.Context, callerSid string, p call.Party) error {
	if c := p.Claim; c != nil && f.now().Sub(time.Unix(c.Since, 0)) < f.s.ClaimTTL {
		return nil // still being set up
	}
	if p.Kind != call.PartyExternal {
		expr, err := targetExpression(callerSid, p.Label)
		if err != nil {
			return err
		}
		found, err := f.tr.FindTasks(ctx, expr)
		if err != nil {
			return err
		}
		if len(found) > 0 {
			return f.recordTarget(ctx, callerSid, p.Label, found[0].Sid)
		}
	}
	f.log.Warn("a party's set-up was interrupted: failing it", "task_sid", callerSid, "label", p.Label)
	return f.endParty(ctx, callerSid, p.Label, call.PartyFailed, "the call could not be set up for "+p.Name)
}

// numberOutcome is a dialled number's party status from its call's end.
func numberOutcome(callStatus string) call.PartyStatus {
	switch callStatus {
	case "no-answer", "busy":
		return call.PartyNoAnswer
	case "canceled":
		return call.PartyCanceled
	}
	return call.PartyFailed
}

// partyLeft is a participant-leave on a call with added parties (Twilio
// has confirmed the leg is out): that party is off the call, which goes on
// while two remain.
func (f *Flow) partyLeft(ctx context.Context, e ConferenceEvent, ic record) error {
	label := e.Label
	if label == "" || (!call.IsPartyLabel(label) && label != call.LabelCaller && label != call.LabelCallee) {
		label = labelOfLeg(ic, e.CallSid)
	}
	if label == "" {
		return f.rebalance(ctx, e.CallerTaskSid)
	}
	return f.leaveCall(ctx, e.CallerTaskSid, label, reasonOr(e.Reason, label+" hung up"))
}

// partyLegEnded is an agent's leg ending on a call with added parties: the
// leg the record names for them takes them off the call; a target's leg
// that ended before it joined ends their offer.
func (f *Flow) partyLegEnded(ctx context.Context, callerSid string, cic record, label, callSid, reason string) error {
	leg, _ := legAndTask(callerSid, cic, label)
	switch p := partyOf(cic, label); {
	case leg != "" && leg == callSid && (onCall(cic, label) || p != nil && !p.Status.Final()):
		return f.leaveCall(ctx, callerSid, label, reason)
	case p != nil && p.Status == call.PartyRinging && leg == "":
		return f.endParty(ctx, callerSid, label, call.PartyFailed, "the target's phone hung up before joining")
	}
	return nil
}

// addedLegEnded is the status callback of a number's call (Create
// Participant): confirmed with Twilio's call resource, it ends the party —
// it did not answer, or it hung up.
func (f *Flow) addedLegEnded(ctx context.Context, s LegStatus) error {
	if !call.IsPartyLabel(s.Label) {
		return call.Errorf(call.Invalid, "label %q is not a participant's", s.Label)
	}
	rec, _, err := f.fetchInternal(ctx, s.TaskSid)
	if err != nil {
		return err
	}
	p := partyOf(recordOf(rec), s.Label)
	if p == nil || p.Kind != call.PartyExternal || (p.CallSid != "" && p.CallSid != s.CallSid) {
		return nil // not this call's number: nothing to act on
	}
	leg, err := f.voice.FetchCall(ctx, s.CallSid)
	if err != nil {
		return ignoreEnded(err)
	}
	if !leg.Over() {
		f.log.Warn("leg status callback for a number still up: ignored", "task_sid", s.TaskSid, "call_sid", s.CallSid)
		return nil
	}
	switch p.Status {
	case call.PartyJoined:
		return f.leaveCall(ctx, s.TaskSid, p.Label, p.Name+" hung up")
	case call.PartyRinging:
		return f.endParty(ctx, s.TaskSid, p.Label, numberOutcome(leg.Status), "the number did not answer ("+leg.Status+")")
	}
	return nil
}

// actWithParties is an agent's action on a call with added parties (or on
// a transfer's offer): hanging up takes only them off the call, holding
// holds the one other party when there is one.
func (f *Flow) actWithParties(ctx context.Context, t *call.Task, ic record, res *call.Reservation, rec *call.Task, cic record, action call.CallAction) error {
	label := labelOfTask(rec.Sid, cic, t.Sid)
	p := partyOf(cic, label)
	switch {
	case action == call.ActionReject && ic.Role == call.RoleTarget:
		if p == nil || p.Status != call.PartyRinging {
			return call.Errorf(call.Conflict, "only an offered call can be rejected")
		}
		return f.declineTransfer(ctx, t, ic, res)
	case action == call.ActionReject:
		return f.reject(ctx, t, ic.InternalCall, res)
	case cic.Status.Final() && action == call.ActionHangup:
		return f.hangup(ctx, rec.Sid, ic.Role)
	case cic.Status != call.StatusConnected:
		return call.Errorf(call.Conflict, "the call is not connected")
	case p != nil && p.Status == call.PartyRinging:
		return call.Errorf(call.Conflict, "the call is not connected yet: reject it instead")
	case !onCall(cic, label):
		return call.Errorf(call.Conflict, "you are no longer on this call")
	case action == call.ActionHangup:
		return f.leaveCall(ctx, rec.Sid, label, nameOf(rec, label)+" hung up")
	}
	var others []string
	for _, l := range append([]string{call.LabelCaller, call.LabelCallee}, labelsOf(cic.Parties)...) {
		if l != label && onCall(cic, l) {
			others = append(others, l)
		}
	}
	if len(others) != 1 {
		return call.Errorf(call.Conflict, "more than one other party is on the call: hold one from the participants list")
	}
	leg, _ := legAndTask(rec.Sid, cic, others[0])
	return f.voice.HoldParticipant(ctx, cic.ConferenceSid, leg, action == call.ActionHold)
}

func labelsOf(ps []call.Party) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Label)
	}
	return out
}
