package bench

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/flex-internal-call/internal-call/server/twiliosim/twiliosig"
)

// Webhooks builds the two measured webhooks, signed as Twilio signs them.
type Webhooks struct {
	AuthToken string
	// Public is the base URL the server checks signatures against; Target
	// where the load generator sends the requests (the same on loopback).
	Public, Target string
	TaskSid        string
	CallSid        string
	ContactURI     string
	ConferenceSid  string
	// ConferenceName is the conference's friendly name as the server names it.
	ConferenceName string
}

// CallerTwiML is Twilio's fetch of the caller leg's TwiML.
func (h Webhooks) CallerTwiML() Request {
	form := url.Values{
		"AccountSid": {"AC" + strings.Repeat("0", 32)}, "CallSid": {h.CallSid}, "CallStatus": {"in-progress"},
		"Direction": {"outbound-api"}, "From": {"client:internal-call"}, "To": {h.ContactURI}, "Called": {h.ContactURI},
		"ApiVersion": {"2010-04-01"},
	}
	return h.signed("/twiml/caller?taskSid="+h.TaskSid, form, http.StatusOK)
}

// CalleeJoined is the conference callback of the callee's leg joining.
func (h Webhooks) CalleeJoined() Request {
	form := url.Values{
		"AccountSid": {"AC" + strings.Repeat("0", 32)}, "ConferenceSid": {h.ConferenceSid}, "FriendlyName": {h.ConferenceName},
		"StatusCallbackEvent": {"participant-join"}, "CallSid": {"CA" + strings.Repeat("0", 31) + "2"}, "ParticipantLabel": {"callee"},
		"SequenceNumber": {"3"}, "Muted": {"false"}, "Hold": {"false"}, "Coaching": {"false"}, "EndConferenceOnExit": {"true"},
		"StartConferenceOnEnter": {"true"},
	}
	return h.signed("/callbacks/conference?taskSid="+h.TaskSid, form, http.StatusNoContent)
}

func (h Webhooks) signed(pathQuery string, form url.Values, status int) Request {
	body := form.Encode()
	sig := twiliosig.Sign(h.AuthToken, strings.TrimRight(h.Public, "/")+pathQuery, form)
	return Request{
		Method: http.MethodPost, URL: strings.TrimRight(h.Target, "/") + pathQuery, Body: []byte(body), Status: status,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, twiliosig.Header: {sig}, "I-Twilio-Idempotency-Token": {"bench"}},
	}
}
