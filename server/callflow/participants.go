package callflow

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/flex-internal-call/internal-call/call"
)

// party is an agent acting on a call they are on now: their task, the
// call's record and their participant label on it.
type party struct {
	callerSid string
	rec       *call.Task
	cic       record
	label     string
}

// currentParty checks that the agent is a current party of a connected
// call through the task: TaskRouter has the task assigned to them
// (reservation accepted), the task is one the call's sealed record names,
// and the record says that party is on the call now. Anyone else — an
// agent who left, was offered it and declined, or never had it — is refused
// and nothing changes.
func (f *Flow) currentParty(ctx context.Context, who call.FlexUser, taskSid string) (*party, error) {
	res, err := f.ownReservation(ctx, taskSid, who.WorkerSid)
	if err != nil {
		return nil, err
	}
	t, ic, err := f.fetchInternal(ctx, taskSid)
	if err != nil {
		return nil, err
	}
	rec, _, err := f.callerOf(ctx, t, ic)
	if err != nil {
		return nil, err
	}
	cic := recordOf(rec)
	label := labelOfTask(rec.Sid, cic, t.Sid)
	switch {
	case label == "" || res.Status == call.ReservationWrapping || (res.Status == call.ReservationPending && label != call.LabelCaller):
		return nil, call.Errorf(call.Forbidden, "you are not on this call")
	case cic.Status != call.StatusConnected:
		return nil, call.Errorf(call.Conflict, "the call is not connected")
	case !onCall(cic, label):
		return nil, call.Errorf(call.Forbidden, "you are no longer on this call")
	}
	return &party{callerSid: rec.Sid, rec: rec, cic: cic, label: label}, nil
}

// AddNumber dials an external number into the agent's call and returns the
// new party's label. Numbers must match the configured pattern; the caller
// ID is the Flex configuration's outbound caller ID.
func (f *Flow) AddNumber(ctx context.Context, who call.FlexUser, taskSid, number string) (string, error) {
	if f.s.ExternalNumbers == nil {
		return "", call.Errorf(call.Forbidden, "adding external numbers is not enabled on this server")
	}
	if loc := f.s.ExternalNumbers.FindStringIndex(number); !isE164(number) || loc == nil || loc[0] != 0 || loc[1] != len(number) {
		return "", call.Errorf(call.Invalid, "number %q is not one this server may dial (E.164, e.g. +15551234567, matching the allowed pattern)", number)
	}
	a, err := f.currentParty(ctx, who, taskSid)
	if err != nil {
		return "", err
	}
	if err := f.reconcile(ctx, a.callerSid); err != nil {
		return "", err
	}
	from, err := f.callerID(ctx)
	if err != nil {
		return "", err
	}
	base := call.Party{Kind: call.PartyExternal, Name: call.MaskNumber(number)}
	rec, added, err := f.addParty(ctx, a, base, call.LabelExternalPrefix, func(_ *call.Task, ic record) error {
		if slices.ContainsFunc(ic.Parties, func(p call.Party) bool { return p.Kind == call.PartyExternal && p.Status == call.PartyRinging }) {
			return call.Errorf(call.Conflict, "a number is being dialled on this call already")
		}
		return nil
	}, nil)
	if err != nil {
		return "", err
	}
	conf := recordOf(rec).ConferenceSid
	leg, err := f.voice.AddParticipant(ctx, conf, call.NewParticipant{
		From: from, To: number, Label: added.Label, Timeout: f.s.RingTimeout,
		StatusCallback: call.LegStatusURL(f.s.PublicBaseURL, a.callerSid) + "&" + ParamLabel + "=" + url.QueryEscape(added.Label),
	})
	if err != nil {
		// Create Participant is not retried: a failure after Twilio placed
		// the call would dial the number twice.
		f.log.Error("adding a number to the call failed", "task_sid", a.callerSid, "label", added.Label, "error", err)
		return "", errors.Join(err, f.endParty(ctx, a.callerSid, added.Label, call.PartyFailed, "the number could not be dialled"))
	}
	_, err = f.mutate(ctx, a.callerSid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		p := partyOf(ic, added.Label)
		if p == nil || p.CallSid != "" {
			return nil
		}
		p.CallSid, p.Claim = leg, nil
		return ic.attrs(t)
	})
	if err = errors.Join(err, f.publish(ctx, a.callerSid)); err != nil {
		// The number is being dialled: the request went through. Refusing
		// it now would tell the agent it failed while the number joins
		// (and a click again would dial it twice). Its join, or its call's
		// status callback, records the leg; the other screens catch up on
		// the next change.
		f.log.Warn("a number was dialled but its leg could not be recorded yet", "task_sid", a.callerSid, "label", added.Label, "call_sid", leg, "error", err)
	}
	return added.Label, nil
}

// ParamLabel names, on a leg status callback URL, the added party the leg is.
const ParamLabel = "label"

// callerID is the outbound caller ID numbers are dialled from.
func (f *Flow) callerID(ctx context.Context) (string, error) {
	if f.s.CallerID == nil {
		return "", call.Errorf(call.Unavailable, "no outbound caller ID is configured")
	}
	id, err := f.s.CallerID(ctx)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", call.Errorf(call.Unavailable, "the Flex configuration has no outbound_call_flows.default.caller_id to dial numbers from")
	}
	return id, nil
}

func isE164(n string) bool {
	if len(n) < 9 || len(n) > 16 || n[0] != '+' {
		return false
	}
	for _, c := range n[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// RemoveParticipant takes another party off the agent's call: a number
// still ringing is hung up, an agent's leg leaves and their task wraps up.
// Yourself you leave by hanging up.
func (f *Flow) RemoveParticipant(ctx context.Context, who call.FlexUser, taskSid, label string) error {
	a, err := f.currentParty(ctx, who, taskSid)
	if err != nil {
		return err
	}
	if label == a.label {
		return call.Errorf(call.Invalid, "to leave the call, hang up")
	}
	if !onCall(a.cic, label) {
		p := partyOf(a.cic, label)
		if p == nil || p.Status != call.PartyRinging {
			return call.Errorf(call.NotFound, "no participant %q is on this call", label)
		}
		if p.TaskSid != "" {
			return call.Errorf(call.Conflict, "%s is being offered the call: cancel the transfer instead", p.Name)
		}
		err := f.endLeg(ctx, p.CallSid)
		return errors.Join(err, f.endParty(ctx, a.callerSid, label, call.PartyCanceled, "removed"))
	}
	return f.leaveCall(ctx, a.callerSid, label, "removed from the call")
}

// HoldParticipant holds (or resumes) another party of the agent's call.
func (f *Flow) HoldParticipant(ctx context.Context, who call.FlexUser, taskSid, label string, on bool) error {
	a, err := f.currentParty(ctx, who, taskSid)
	if err != nil {
		return err
	}
	if label == a.label {
		return call.Errorf(call.Invalid, "you cannot hold yourself")
	}
	if !multiparty(a.cic) && (label == call.LabelCaller || label == call.LabelCallee) {
		// A plain call: as the hold action, which both screens show.
		role := call.RoleCaller
		if a.label == call.LabelCallee {
			role = call.RoleCallee
		}
		return f.hold(ctx, a.callerSid, role, on)
	}
	leg, _ := legAndTask(a.callerSid, a.cic, label)
	if !onCall(a.cic, label) || leg == "" {
		return call.Errorf(call.NotFound, "no participant %q is on this call", label)
	}
	return f.voice.HoldParticipant(ctx, a.cic.ConferenceSid, leg, on)
}

// Participants lists who is on the agent's call, for the participants
// panel: the two agents and every added party, with who is on hold now.
// It also moves on a party whose ring timeout passed, so a panel that asks
// while a party rings sees the outcome.
func (f *Flow) Participants(ctx context.Context, who call.FlexUser, taskSid string) (call.APIParticipants, error) {
	var out call.APIParticipants
	if _, err := f.ownReservation(ctx, taskSid, who.WorkerSid); err != nil {
		return out, err
	}
	t, ic, err := f.fetchInternal(ctx, taskSid)
	if err != nil {
		return out, err
	}
	rec, _, err := f.callerOf(ctx, t, ic)
	if err != nil {
		return out, err
	}
	cic := recordOf(rec)
	if multiparty(cic) {
		if err := f.reconcile(ctx, rec.Sid); err != nil {
			return out, err
		}
		if rec, _, err = f.fetchInternal(ctx, rec.Sid); err != nil {
			return out, err
		}
		cic = recordOf(rec)
	}
	held := map[string]bool{}
	if cic.Status == call.StatusConnected && cic.ConferenceSid != "" {
		ps, err := f.voice.Participants(ctx, cic.ConferenceSid)
		if err != nil && !call.Is(err, call.NotFound) {
			return out, err
		}
		for _, p := range ps {
			held[p.CallSid] = p.Hold
		}
	}
	you := labelOfTask(rec.Sid, cic, t.Sid)
	agent := func(label string) call.APIParticipant {
		status := call.PartyJoined
		switch {
		case cic.Status.Final() || slices.Contains(cic.Left, label):
			status = call.PartyLeft
		case label == call.LabelCallee && cic.Status != call.StatusConnected:
			status = call.PartyRinging
		}
		leg, _ := legAndTask(rec.Sid, cic, label)
		return call.APIParticipant{Label: label, Kind: call.PartyAgent, Name: nameOf(rec, label), Status: status, Hold: held[leg] && leg != "", You: label == you}
	}
	out.Participants = []call.APIParticipant{agent(call.LabelCaller), agent(call.LabelCallee)}
	for _, p := range cic.Parties {
		out.Participants = append(out.Participants, call.APIParticipant{
			Label: p.Label, Kind: p.Kind, Name: p.Name, Status: p.Status, Reason: p.Reason,
			Hold: p.CallSid != "" && held[p.CallSid], You: p.Label == you,
		})
	}
	if tr := cic.Transfer; tr != nil {
		out.Transfer = &call.APITransferState{Label: tr.Label, By: tr.By, Mode: tr.Mode, Status: partyOf(cic, tr.Label).Status}
	}
	return out, nil
}

// addParty writes a new party onto the record of a's call, ringing and
// under a claim of this attempt: base with its label, status, who brought it
// in and since when. The call must be connected and a still on it; refuse
// may turn the party down for reasons of its own, and also changes the
// record in the same write. The conference is then kept open for a third
// party (on failure the party ends as failed).
func (f *Flow) addParty(ctx context.Context, a *party, base call.Party, prefix string,
	refuse func(t *call.Task, ic record) error, also func(ic record, added call.Party)) (*call.Task, call.Party, error) {
	claimID := newClaimID()
	var added call.Party
	var refused error
	rec, err := f.mutate(ctx, a.callerSid, func(t *call.Task, _ *call.InternalCall) *call.TaskUpdate {
		ic := recordOf(t)
		added, refused = call.Party{}, nil
		switch {
		case ic.Status != call.StatusConnected:
			refused = call.Errorf(call.Conflict, "the call is not connected")
		case !onCall(ic, a.label):
			refused = call.Errorf(call.Forbidden, "you are no longer on this call")
		default:
			refused = refuse(t, ic)
		}
		if refused != nil {
			return nil
		}
		now := f.now().Unix()
		added = base
		added.Label = nextLabel(ic, prefix)
		added.Status, added.By, added.Since = call.PartyRinging, a.label, now
		added.Claim = &call.Claim{By: claimID, Since: now}
		ic.Parties = append(ic.Parties, added)
		if also != nil {
			also(ic, added)
		}
		return ic.attrs(t)
	})
	if err != nil {
		return nil, added, err
	}
	if refused != nil {
		return nil, added, refused
	}
	if err := f.keepConferenceOpen(ctx, recordOf(rec).ConferenceSid); err != nil {
		return nil, added, errors.Join(err, f.endParty(ctx, a.callerSid, added.Label, call.PartyFailed, "the conference could not be kept open"))
	}
	return rec, added, nil
}
