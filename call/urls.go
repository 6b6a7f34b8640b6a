package call

import "strings"

// Paths of the server's public endpoints. The README's endpoint table lists them.
const (
	PathPlugin             = "/plugin/internal-call.js"
	PathWeb                = "/web/"
	PathDialpad            = "/dialpad"
	PathCallerTwiML        = "/twiml/caller"
	PathCalleeTwiML        = "/twiml/callee"
	PathRingback           = "/twiml/ringback"
	PathRingbackTone       = "/media/ringback.wav"
	PathConferenceCallback = "/callbacks/conference"
	PathLegStatusCallback  = "/callbacks/leg"
	PathAPICalls           = "/api/calls"
	PathAPIQueues          = "/api/queues"
	PathAPIMissedCalls     = "/api/missed-calls"
)

// ParamTaskSid is the query parameter naming the task a TwiML request is for.
const ParamTaskSid = "taskSid"

// Hints on the callee's TwiML URL: the caller's task and the conference, as
// the callee's task names them. The server reads them at once beside the
// callee's own task instead of one after the other, and trusts them only
// where that task's sealed record names the same.
const (
	ParamCallerTaskSid = "callerTaskSid"
	ParamConferenceSid = "conferenceSid"
)

// ParamAttempt counts, on a leg's TwiML URL, the fetches the server
// answered "ask again in a moment" (the call still being set up, or Twilio
// failing for a moment).
const ParamAttempt = "attempt"

// CallAction is a browser-initiated action on a call: POST /api/calls/{taskSid}/{action}.
type CallAction string

const (
	ActionReject CallAction = "reject"
	ActionHangup CallAction = "hangup"
	ActionHold   CallAction = "hold"
	ActionUnhold CallAction = "unhold"
)

// Valid reports whether a is one of the known actions.
func (a CallAction) Valid() bool {
	switch a {
	case ActionReject, ActionHangup, ActionHold, ActionUnhold:
		return true
	}
	return false
}

// CallerTwiMLURL is the URL reservation.call fetches for the caller's leg.
func CallerTwiMLURL(base, taskSid string) string {
	return taskURL(base, PathCallerTwiML, taskSid)
}

// CalleeTwiMLURL is the URL reservation.call fetches for the callee's leg,
// with the hints the callee's task gives (either may be empty).
func CalleeTwiMLURL(base, taskSid, callerTaskSid, conferenceSid string) string {
	u := taskURL(base, PathCalleeTwiML, taskSid)
	if callerTaskSid != "" {
		u += "&" + ParamCallerTaskSid + "=" + escape(callerTaskSid)
	}
	if conferenceSid != "" {
		u += "&" + ParamConferenceSid + "=" + escape(conferenceSid)
	}
	return u
}

// LegStatusURL is the status callback reservation.call gives a leg
// (statusCallbackUrl): Twilio posts there when the leg ends.
func LegStatusURL(base, taskSid string) string {
	return taskURL(base, PathLegStatusCallback, taskSid)
}

// CallActionURL is the server endpoint the browser posts an action on a call to.
func CallActionURL(base, taskSid string, action CallAction) string {
	return JoinURL(base, PathAPICalls+"/"+escape(taskSid)+"/"+string(action))
}

// JoinURL joins the public base URL (with or without a trailing slash, possibly
// with a path prefix) and an absolute path.
func JoinURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}

func taskURL(base, path, taskSid string) string {
	return JoinURL(base, path) + "?" + ParamTaskSid + "=" + escape(taskSid)
}

// MissedCallURL is the server endpoint of one of the agent's missed calls
// (DELETE dismisses it).
func MissedCallURL(base, id string) string {
	return JoinURL(base, PathAPIMissedCalls+"/"+escape(id))
}

// escape percent-encodes everything but RFC 3986's unreserved characters, so
// the result is safe as a path segment and as a query value. (net/url would
// do the same for the SIDs and IDs it is used on, but importing it costs the
// Flex bridge its parser.)
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
