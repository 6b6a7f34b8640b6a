package callflow

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// Conference status callback events the server acts on.
const (
	EventConferenceStart = "conference-start"
	EventConferenceEnd   = "conference-end"
	EventParticipantJoin = "participant-join"
	EventParticipantLeft = "participant-leave"
)

// ConferenceEvent is one conference status callback.
type ConferenceEvent struct {
	CallerTaskSid  string // from our own callback URL
	ConferenceSid  string
	FriendlyName   string
	Event          string
	CallSid        string
	Label          string // ParticipantLabel: caller or callee
	SequenceNumber int
	Reason         string // ReasonParticipantLeft or ReasonConferenceEnded
}

// HandleConferenceEvent applies one conference callback. Every branch is
// idempotent and reads Twilio's state first, so duplicates, retries and
// reordering leave the same result.
func (f *Flow) HandleConferenceEvent(ctx context.Context, e ConferenceEvent) error {
	if !f.seal.OwnsConference(e.CallerTaskSid, e.FriendlyName) {
		return call.Errorf(call.Invalid, "conference %q does not belong to task %s", e.FriendlyName, e.CallerTaskSid)
	}
	switch e.Event {
	case EventParticipantJoin:
		return f.participantJoined(ctx, e)
	case EventConferenceStart:
		return f.conferenceStarted(ctx, e)
	case EventParticipantLeft:
		return f.participantLeft(ctx, e)
	case EventConferenceEnd:
		// Signatures carry no nonce: a replayed conference-end must not end a
		// call that is still going. Twilio's own resource decides.
		status, err := f.voice.ConferenceStatus(ctx, e.ConferenceSid)
		if err != nil && !call.Is(err, call.NotFound) {
			return err
		}
		if err == nil && status != call.ConferenceCompleted {
			f.log.Warn("conference-end for a conference still in progress: ignored", "task_sid", e.CallerTaskSid, "conference_sid", e.ConferenceSid)
			return nil
		}
		return f.settle(ctx, e.CallerTaskSid, "", reasonOr(e.Reason, "conference ended"), true)
	}
	return nil
}

func (f *Flow) participantJoined(ctx context.Context, e ConferenceEvent) error {
	if call.IsPartyLabel(e.Label) {
		return f.partyJoined(ctx, e)
	}
	label := e.Label
	if label != labelCaller && label != labelCallee {
		// Our TwiML labels both legs; without a label, the SIDs recorded decide.
		_, ic, err := f.fetchInternal(ctx, e.CallerTaskSid)
		if err != nil {
			return err
		}
		label = legOf(e, ic)
	}
	if label == labelCaller {
		return f.createCalleeTask(ctx, e.CallerTaskSid, e.ConferenceSid, e.CallSid)
	}
	return f.connected(ctx, e.CallerTaskSid, e.ConferenceSid, e.CallSid)
}

// conferenceStarted marks the call connected when the callee's own join was
// not seen: only the callee's leg starts the conference
// (startConferenceOnEnter), so the conference starting means the callee is
// in. Twilio's participant list says which leg is theirs.
func (f *Flow) conferenceStarted(ctx context.Context, e ConferenceEvent) error {
	_, ic, err := f.fetchInternal(ctx, e.CallerTaskSid)
	if err != nil {
		return err
	}
	if ic.Status != call.StatusRinging || (ic.ConferenceSid != "" && ic.ConferenceSid != e.ConferenceSid) {
		return nil
	}
	return f.connectIfCalleeIn(ctx, e.CallerTaskSid, e.ConferenceSid)
}

// connectIfCalleeIn marks the call connected when Twilio's participant list
// has the callee's leg in the conference, for when the callee's own join was
// not seen.
func (f *Flow) connectIfCalleeIn(ctx context.Context, callerSid, conferenceSid string) error {
	if conferenceSid == "" {
		return nil
	}
	ps, err := f.voice.Participants(ctx, conferenceSid)
	if err != nil {
		return ignoreEnded(err)
	}
	for _, p := range ps {
		if p.Label == labelCallee {
			return f.connected(ctx, callerSid, conferenceSid, p.CallSid)
		}
	}
	return nil
}

// connected marks both tasks connected once the callee's leg is in.
func (f *Flow) connected(ctx context.Context, callerSid, conferenceSid, calleeCallSid string) error {
	stale, over := false, false
	caller, err := f.mutate(ctx, callerSid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		stale = ic.ConferenceSid != "" && conferenceSid != ic.ConferenceSid
		over = ic.Status.Final()
		if stale || over || (ic.Status == call.StatusConnected && ic.CalleeCallSid == calleeCallSid) {
			return nil
		}
		ic.Status, ic.CalleeCallSid = call.StatusConnected, calleeCallSid
		return attrs(t)
	})
	if err != nil {
		return err
	}
	if stale || over {
		// The callee joined after the caller's conference ended, which opened
		// a new conference of the same name; or joined a call the record says
		// is over (the ring timeout ended it, and telling the caller failed):
		// close it rather than leave anyone talking on a call that is over.
		f.log.Warn("callee joined a conference whose call is over; ending it", "task_sid", callerSid, "conference_sid", conferenceSid, "stale", stale)
		return ignoreEnded(f.voice.EndConference(ctx, conferenceSid))
	}
	cic := internalCall(caller)
	if cic.Status != call.StatusConnected || cic.CalleeTaskSid == "" {
		return nil
	}
	_, err = f.mutate(ctx, cic.CalleeTaskSid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		if ic.Status.Final() || ic.Status == call.StatusConnected {
			return nil
		}
		ic.Status, ic.CalleeCallSid, ic.CallerCallSid = call.StatusConnected, calleeCallSid, cic.CallerCallSid
		return attrs(t)
	})
	if err != nil {
		return err
	}
	f.nameAnswerer(ctx, callerSid, cic, caller.Attributes.CallToQueue)
	return nil
}

func (f *Flow) participantLeft(ctx context.Context, e ConferenceEvent) error {
	rec, ic, err := f.fetchInternal(ctx, e.CallerTaskSid)
	if err != nil {
		return err
	}
	if e.ConferenceSid != ic.ConferenceSid && ic.ConferenceSid != "" {
		return nil // a stale conference closed by participantJoined
	}
	// A replayed leave (signatures carry no nonce) must not end a call whose
	// leg is still in: Twilio's participant resource decides.
	if in, err := f.voice.InConference(ctx, e.ConferenceSid, e.CallSid); err != nil || in {
		if in {
			f.log.Warn("participant-leave for a leg still in the conference: ignored", "task_sid", e.CallerTaskSid, "call_sid", e.CallSid)
		}
		return err
	}
	if r := recordOf(rec); multiparty(r) && !ic.Status.Final() {
		return f.partyLeft(ctx, e, r)
	}
	// Either leg leaving ends the call (both legs have endConferenceOnExit);
	// settling here as well as on conference-end keeps a dropped callback harmless.
	reason := "caller hung up"
	if legOf(e, ic) == labelCallee {
		reason = "callee hung up"
	}
	return f.settle(ctx, e.CallerTaskSid, "", reasonOr(e.Reason, reason), true)
}

// legOf tells which leg a participant event is about: by its label, else by
// the call SIDs already recorded.
func legOf(e ConferenceEvent, ic *call.InternalCall) string {
	switch {
	case e.Label == labelCaller || e.Label == labelCallee:
		return e.Label
	case e.CallSid != "" && e.CallSid == ic.CalleeCallSid:
		return labelCallee
	case e.CallSid != "" && e.CallSid == ic.CallerCallSid, ic.CallerCallSid == "":
		return labelCaller
	}
	return labelCallee
}

func reasonOr(r, fallback string) string {
	if r != "" {
		return r
	}
	return fallback
}
