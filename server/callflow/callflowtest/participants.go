package callflowtest

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// AddParticipant places a call to the number (Create Participant): it rings
// until the test answers it (AnswerParticipant) or ends it (EndLegAs).
func (tw *Twilio) AddParticipant(ctx context.Context, conferenceSid string, p call.NewParticipant) (string, error) {
	if err := tw.enter(ctx, "AddParticipant", conferenceSid); err != nil {
		return "", err
	}
	defer tw.mu.Unlock()
	c, ok := tw.conferences[conferenceSid]
	if !ok || c.Status == call.ConferenceCompleted {
		return "", notFound("conference", conferenceSid)
	}
	sid := tw.newSID(call.PrefixCall)
	tw.calls[sid] = &Call{Sid: sid, Status: "ringing", To: p.To}
	tw.added = append(tw.added, Added{ConferenceSid: conferenceSid, CallSid: sid, P: p})
	return sid, nil
}

// Added is a participant the flow dialled.
type Added struct {
	ConferenceSid, CallSid string
	P                      call.NewParticipant
}

// AddedParticipants lists the participants the flow dialled, in order.
func (tw *Twilio) AddedParticipants() []Added {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return append([]Added(nil), tw.added...)
}

// AnswerParticipant is a dialled number answering: its call is in progress
// and in the conference with its label.
func (tw *Twilio) AnswerParticipant(conferenceSid, callSid, label string) {
	tw.mu.Lock()
	tw.calls[callSid].Status = "in-progress"
	tw.mu.Unlock()
	tw.Join(conferenceSid, callSid, label)
}

// SetEndConferenceOnExit sets a participant's EndConferenceOnExit (Update Participant).
func (tw *Twilio) SetEndConferenceOnExit(ctx context.Context, conferenceSid, callSid string, end bool) error {
	if err := tw.enter(ctx, "SetEndOnExit", callSid); err != nil {
		return err
	}
	defer tw.mu.Unlock()
	c, ok := tw.conferences[conferenceSid]
	if !ok || c.Status == call.ConferenceCompleted || !c.Participants[callSid] {
		return notFound("participant", callSid)
	}
	c.EndOnExit[callSid] = end
	return nil
}

// EndOnExit reports a participant's EndConferenceOnExit.
func (tw *Twilio) EndOnExit(conferenceSid, callSid string) bool {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return tw.conferences[conferenceSid].EndOnExit[callSid]
}
