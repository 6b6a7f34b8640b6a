package twilioapi

import (
	"context"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/flex-internal-call/internal-call/call"
)

// AddParticipant dials a number into a conference (Create Participant). The
// participant joins talking (StartConferenceOnEnter), and the conference
// outlives it (EndConferenceOnExit false) until the flow says otherwise.
func (c *Client) AddParticipant(ctx context.Context, conferenceSid string, np call.NewParticipant) (string, error) {
	if err := checkSIDs("add participant", call.PrefixConference, conferenceSid); err != nil {
		return "", err
	}
	p := &api.CreateParticipantParams{}
	p.SetFrom(np.From)
	p.SetTo(np.To)
	p.SetLabel(np.Label)
	p.SetStartConferenceOnEnter(true)
	p.SetEndConferenceOnExit(false)
	p.SetBeep("false")
	if np.StatusCallback != "" {
		p.SetStatusCallback(np.StatusCallback)
		p.SetStatusCallbackMethod("POST")
		p.SetStatusCallbackEvent([]string{"completed"})
	}
	if s := int(np.Timeout.Seconds()); s > 0 {
		p.SetTimeout(min(max(s, 5), 600))
	}
	res, err := c.voice(ctx).CreateParticipant(conferenceSid, p)
	if err != nil {
		return "", classify(err, "add participant to "+conferenceSid)
	}
	return deref(res.CallSid), nil
}

// SetEndConferenceOnExit sets whether the conference ends when the participant leaves.
func (c *Client) SetEndConferenceOnExit(ctx context.Context, conferenceSid, callSid string, end bool) error {
	if err := checkSIDs("update participant", call.PrefixConference, conferenceSid, call.PrefixCall, callSid); err != nil {
		return err
	}
	p := &api.UpdateParticipantParams{}
	p.SetEndConferenceOnExit(end)
	_, err := c.voice(ctx).UpdateParticipant(conferenceSid, callSid, p)
	return classify(err, "update participant "+callSid)
}

// OutboundCallerID is the Flex configuration's
// outbound_call_flows.default.caller_id ("" when it has none): the number
// external participants are dialled from.
func (c *Client) OutboundCallerID(ctx context.Context) (string, error) {
	cfg, err := c.FetchFlexConfiguration(ctx)
	if err != nil {
		return "", err
	}
	flows, _ := cfg["outbound_call_flows"].(map[string]any)
	def, _ := flows["default"].(map[string]any)
	id, _ := def["caller_id"].(string)
	return id, nil
}
