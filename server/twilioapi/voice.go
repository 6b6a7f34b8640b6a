package twilioapi

import (
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// Conference statuses as the Voice API reports them.
const (
	ConferenceInit       = "init"
	ConferenceInProgress = "in-progress"
	ConferenceCompleted  = "completed"
)

// ConferenceStatus fetches a conference's status.
func (c *Client) ConferenceStatus(sid string) (string, error) {
	conf, err := c.Rest.Api.FetchConference(sid, &api.FetchConferenceParams{})
	if err != nil {
		return "", err
	}
	return deref(conf.Status), nil
}

// EndConference ends a conference for every participant.
func (c *Client) EndConference(sid string) error {
	p := &api.UpdateConferenceParams{}
	p.SetStatus("completed")
	_, err := c.Rest.Api.UpdateConference(sid, p)
	return err
}

// HoldParticipant puts a conference participant on hold (or takes them off it).
func (c *Client) HoldParticipant(conferenceSid, callSid string, hold bool) error {
	p := &api.UpdateParticipantParams{}
	p.SetHold(hold)
	_, err := c.Rest.Api.UpdateParticipant(conferenceSid, callSid, p)
	return err
}

// RedirectCall replaces what a live call is doing with new TwiML.
func (c *Client) RedirectCall(callSid, twiml string) error {
	p := &api.UpdateCallParams{}
	p.SetTwiml(twiml)
	_, err := c.Rest.Api.UpdateCall(callSid, p)
	return err
}

// EndCall hangs up a live call.
func (c *Client) EndCall(callSid string) error {
	p := &api.UpdateCallParams{}
	p.SetStatus("completed")
	_, err := c.Rest.Api.UpdateCall(callSid, p)
	return err
}
