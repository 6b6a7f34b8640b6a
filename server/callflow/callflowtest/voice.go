package callflowtest

import (
	"context"
	"fmt"

	"github.com/flex-internal-call/internal-call/call"
)

// Conference is a conference as the Voice API reports it.
type Conference struct {
	Sid          string
	FriendlyName string
	Status       string            // call.ConferenceInit, ConferenceInProgress, ConferenceCompleted
	Held         map[string]bool   // participant call SID → on hold
	Participants map[string]bool   // call SIDs in the conference now
	Labels       map[string]string // participant call SID → label
	EndOnExit    map[string]bool   // participant call SID → EndConferenceOnExit
}

// Call is a phone leg.
type Call struct {
	Sid    string
	Status string // "in-progress" or "completed"
	To     string // the address dialled (AddCallTo)
	// TwiML is the last document the call was redirected to.
	TwiML string
}

// AddConference opens a conference and returns its SID.
func (tw *Twilio) AddConference(friendlyName, status string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	sid := tw.newSID(call.PrefixConference)
	tw.conferences[sid] = &Conference{Sid: sid, FriendlyName: friendlyName, Status: status, Held: map[string]bool{}, Participants: map[string]bool{}, Labels: map[string]string{}, EndOnExit: map[string]bool{}}
	return sid
}

// AddCall places a leg in progress and returns its SID.
func (tw *Twilio) AddCall() string { return tw.AddCallTo("") }

// AddCallTo places a leg to an address in progress and returns its SID.
func (tw *Twilio) AddCallTo(to string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	sid := tw.newSID(call.PrefixCall)
	tw.calls[sid] = &Call{Sid: sid, Status: "in-progress", To: to}
	return sid
}

// Conference returns a conference's state (nil when there is none).
func (tw *Twilio) Conference(sid string) *Conference {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	c, ok := tw.conferences[sid]
	if !ok {
		return nil
	}
	cp := *c
	cp.Held, cp.Participants = map[string]bool{}, map[string]bool{}
	for k, v := range c.Held {
		cp.Held[k] = v
	}
	for k, v := range c.Participants {
		cp.Participants[k] = v
	}
	return &cp
}

// Call returns a call's state (nil when there is none).
func (tw *Twilio) Call(sid string) *Call {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	c, ok := tw.calls[sid]
	if !ok {
		return nil
	}
	cp := *c
	return &cp
}

// ConferenceStatus fetches a conference's status.
func (tw *Twilio) ConferenceStatus(ctx context.Context, sid string) (string, error) {
	if err := tw.enter(ctx, "FetchConference", sid); err != nil {
		return "", err
	}
	defer tw.mu.Unlock()
	c, ok := tw.conferences[sid]
	if !ok {
		return "", notFound("conference", sid)
	}
	return c.Status, nil
}

// EndConference sets Status=completed (Update Conference); a conference that
// is already over is 404, as Twilio answers for a completed conference.
func (tw *Twilio) EndConference(ctx context.Context, sid string) error {
	if err := tw.enter(ctx, "EndConference", sid); err != nil {
		return err
	}
	defer tw.mu.Unlock()
	c, ok := tw.conferences[sid]
	if !ok || c.Status == call.ConferenceCompleted {
		return notFound("conference", sid)
	}
	c.Status = call.ConferenceCompleted
	c.Participants = map[string]bool{}
	return nil
}

// Join puts a leg into a conference (as its TwiML does), with its label.
func (tw *Twilio) Join(conferenceSid, callSid string, label ...string) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	c := tw.conferences[conferenceSid]
	c.Participants[callSid] = true
	if len(label) > 0 {
		c.Labels[callSid] = label[0]
	}
}

// Leave takes a leg out of a conference (its phone hung up); with
// endConferenceOnExit the conference ends too.
func (tw *Twilio) Leave(conferenceSid, callSid string, endConference bool) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	c := tw.conferences[conferenceSid]
	delete(c.Participants, callSid)
	if endConference {
		c.Status = call.ConferenceCompleted
		c.Participants = map[string]bool{}
	}
}

// InConference reports whether a call is a participant now (Fetch
// Participant: 404 once it left or the conference ended).
func (tw *Twilio) InConference(ctx context.Context, conferenceSid, callSid string) (bool, error) {
	if err := tw.enter(ctx, "FetchParticipant", callSid); err != nil {
		return false, err
	}
	defer tw.mu.Unlock()
	c, ok := tw.conferences[conferenceSid]
	return ok && c.Participants[callSid], nil
}

// HoldParticipant sets Hold on a participant (Update Participant).
func (tw *Twilio) HoldParticipant(ctx context.Context, conferenceSid, callSid string, hold bool) error {
	if err := tw.enter(ctx, "HoldParticipant", callSid); err != nil {
		return err
	}
	defer tw.mu.Unlock()
	c, ok := tw.conferences[conferenceSid]
	if !ok || c.Status == call.ConferenceCompleted {
		return notFound("conference", conferenceSid)
	}
	if l, ok := tw.calls[callSid]; !ok || l.Status != "in-progress" {
		return notFound("participant", callSid)
	}
	c.Held[callSid] = hold
	return nil
}

// RedirectCall replaces a live call's TwiML (Update Call, Twiml); a call that
// is over is error 21220, which twilioapi reports as NotFound.
func (tw *Twilio) RedirectCall(ctx context.Context, callSid, twiml string) error {
	if err := tw.enter(ctx, "RedirectCall", callSid); err != nil {
		return err
	}
	defer tw.mu.Unlock()
	c, ok := tw.calls[callSid]
	if !ok || c.Status != "in-progress" {
		return notFound("call", callSid)
	}
	c.TwiML = twiml
	return nil
}

// EndCall hangs a call up (Update Call, Status=completed).
func (tw *Twilio) EndCall(ctx context.Context, callSid string) error {
	if err := tw.enter(ctx, "EndCall", callSid); err != nil {
		return err
	}
	defer tw.mu.Unlock()
	c, ok := tw.calls[callSid]
	if !ok || c.Status != "in-progress" {
		return notFound("call", callSid)
	}
	c.Status = "completed"
	for _, cf := range tw.conferences {
		delete(cf.Participants, callSid)
	}
	return nil
}

// FetchCall returns a call's address and status (Fetch Call).
func (tw *Twilio) FetchCall(ctx context.Context, callSid string) (*call.Leg, error) {
	if err := tw.enter(ctx, "FetchCall", callSid); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	c, ok := tw.calls[callSid]
	if !ok {
		return nil, notFound("call", callSid)
	}
	return &call.Leg{Sid: c.Sid, To: c.To, Status: c.Status}, nil
}

// SetConferenceStatus moves a conference along as Twilio does when its
// participants come and go (init → in-progress).
func (tw *Twilio) SetConferenceStatus(sid, status string) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.conferences[sid].Status = status
}

// EndLeg hangs up a leg from the phone's side (no REST call).
func (tw *Twilio) EndLeg(callSid string) { tw.EndLegAs(callSid, "completed") }

// EndLegAs ends a leg with a final call status (completed, busy, no-answer, …).
func (tw *Twilio) EndLegAs(callSid, status string) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.calls[callSid].Status = status
}

// Participants lists the conference's participants now.
func (tw *Twilio) Participants(ctx context.Context, conferenceSid string) ([]call.Participant, error) {
	if err := tw.enter(ctx, "ListParticipants", conferenceSid); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	c, ok := tw.conferences[conferenceSid]
	if !ok {
		return nil, notFound("conference", conferenceSid)
	}
	var out []call.Participant
	for i := 1; i <= tw.seq; i++ {
		sid := fmt.Sprintf("%s%032x", call.PrefixCall, i)
		if c.Participants[sid] {
			out = append(out, call.Participant{CallSid: sid, Label: c.Labels[sid], Hold: c.Held[sid], EndOnExit: c.EndOnExit[sid]})
		}
	}
	return out, nil
}

// ConferenceByName finds the newest conference of that name that is not over
// (List Conferences with FriendlyName and Status).
func (tw *Twilio) ConferenceByName(ctx context.Context, friendlyName string) (string, error) {
	if err := tw.enter(ctx, "ListConferences", ""); err != nil {
		return "", err
	}
	defer tw.mu.Unlock()
	for i := tw.seq; i >= 1; i-- {
		if c, ok := tw.conferences[fmt.Sprintf("%s%032x", call.PrefixConference, i)]; ok && c.FriendlyName == friendlyName && c.Status != call.ConferenceCompleted {
			return c.Sid, nil
		}
	}
	return "", nil
}
