package twilioapi

import (
	"context"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/flex-internal-call/internal-call/call"
)

// ConferenceStatus fetches a conference's status (call.ConferenceInit, …).
func (c *Client) ConferenceStatus(ctx context.Context, sid string) (string, error) {
	if err := checkSIDs("fetch conference", call.PrefixConference, sid); err != nil {
		return "", err
	}
	conf, err := c.voice(ctx).FetchConference(sid, &api.FetchConferenceParams{})
	if err != nil {
		return "", classify(err, "fetch conference "+sid)
	}
	return deref(conf.Status), nil
}

// EndConference ends a conference for every participant.
func (c *Client) EndConference(ctx context.Context, sid string) error {
	if err := checkSIDs("end conference", call.PrefixConference, sid); err != nil {
		return err
	}
	p := &api.UpdateConferenceParams{}
	p.SetStatus("completed")
	_, err := c.voice(ctx).UpdateConference(sid, p)
	return classify(err, "end conference "+sid)
}

// HoldParticipant puts a conference participant on hold (or takes them off it).
func (c *Client) HoldParticipant(ctx context.Context, conferenceSid, callSid string, hold bool) error {
	if err := checkSIDs("hold participant", call.PrefixConference, conferenceSid, call.PrefixCall, callSid); err != nil {
		return err
	}
	p := &api.UpdateParticipantParams{}
	p.SetHold(hold)
	_, err := c.voice(ctx).UpdateParticipant(conferenceSid, callSid, p)
	return classify(err, "hold participant "+callSid)
}

// RedirectCall replaces what a live call is doing with new TwiML.
func (c *Client) RedirectCall(ctx context.Context, callSid, twiml string) error {
	if err := checkSIDs("update call", call.PrefixCall, callSid); err != nil {
		return err
	}
	p := &api.UpdateCallParams{}
	p.SetTwiml(twiml)
	_, err := c.voice(ctx).UpdateCall(callSid, p)
	return classify(err, "redirect call "+callSid)
}

// EndCall hangs up a live call.
func (c *Client) EndCall(ctx context.Context, callSid string) error {
	if err := checkSIDs("end call", call.PrefixCall, callSid); err != nil {
		return err
	}
	p := &api.UpdateCallParams{}
	p.SetStatus("completed")
	_, err := c.voice(ctx).UpdateCall(callSid, p)
	return classify(err, "end call "+callSid)
}

// FetchCall returns a call's address and status (Fetch Call).
func (c *Client) FetchCall(ctx context.Context, callSid string) (*call.Leg, error) {
	if err := checkSIDs("fetch call", call.PrefixCall, callSid); err != nil {
		return nil, err
	}
	res, err := c.voice(ctx).FetchCall(callSid, &api.FetchCallParams{})
	if err != nil {
		return nil, classify(err, "fetch call "+callSid)
	}
	return &call.Leg{Sid: callSid, To: deref(res.To), Status: deref(res.Status)}, nil
}

// InConference reports whether a call is a participant of a conference now
// (Fetch Participant: 404 once it has left or the conference is over).
func (c *Client) InConference(ctx context.Context, conferenceSid, callSid string) (bool, error) {
	if err := checkSIDs("fetch participant", call.PrefixConference, conferenceSid, call.PrefixCall, callSid); err != nil {
		return false, err
	}
	_, err := c.voice(ctx).FetchParticipant(conferenceSid, callSid, &api.FetchParticipantParams{})
	if err == nil {
		return true, nil
	}
	if err = classify(err, "fetch participant "+callSid); call.Is(err, call.NotFound) {
		return false, nil
	}
	return false, err
}

// Participants lists a conference's participants now (List Participants).
func (c *Client) Participants(ctx context.Context, conferenceSid string) ([]call.Participant, error) {
	if err := checkSIDs("list participants", call.PrefixConference, conferenceSid); err != nil {
		return nil, err
	}
	p := &api.ListParticipantParams{}
	p.SetLimit(20)
	raws, err := c.voice(ctx).ListParticipant(conferenceSid, p)
	if err != nil {
		return nil, classify(err, "list participants of "+conferenceSid)
	}
	out := make([]call.Participant, 0, len(raws))
	for _, r := range raws {
		out = append(out, call.Participant{CallSid: deref(r.CallSid), Label: deref(r.Label), Hold: deref(r.Hold), EndOnExit: deref(r.EndConferenceOnExit)})
	}
	return out, nil
}

// ConferenceByName finds the conference with a friendly name that is not
// over: in progress, else still waiting to start.
func (c *Client) ConferenceByName(ctx context.Context, friendlyName string) (string, error) {
	for _, status := range []string{call.ConferenceInProgress, call.ConferenceInit} {
		p := &api.ListConferenceParams{}
		p.SetFriendlyName(friendlyName)
		p.SetStatus(status)
		p.SetLimit(1)
		raws, err := c.voice(ctx).ListConference(p)
		if err != nil {
			return "", classify(err, "find conference "+friendlyName)
		}
		if len(raws) > 0 {
			return deref(raws[0].Sid), nil
		}
	}
	return "", nil
}
