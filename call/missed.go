package call

import (
	"encoding/json"
	"fmt"
)

// MissedCall is an internal call an agent did not answer: it rang out, or
// the agent was busy and could not be offered it. The server keeps the
// latest MaxMissedCalls of them in the callee worker's attributes
// (MissedCallsKey), where Flex keeps worker state, until the agent calls
// back or dismisses the entry.
type MissedCall struct {
	// ID is the SID of the caller's task: one entry per call.
	ID string `json:"id"`
	// From and FromName are the caller's contact_uri and name, as TaskRouter
	// knows the worker who placed the call (never as the task claims).
	From          string `json:"from"`
	FromName      string `json:"from_name"`
	FromWorkerSid string `json:"from_worker_sid"`
	// At is when the call was missed, Unix seconds.
	At int64 `json:"at"`
}

// MissedCallsKey is the worker attribute holding the missed calls, newest first.
const MissedCallsKey = "missed_calls"

// MaxMissedCalls bounds the list: older entries drop off.
const MaxMissedCalls = 20

// APIMissedCalls is the JSON body of GET /api/missed-calls.
type APIMissedCalls struct {
	MissedCalls []MissedCall `json:"missed_calls"`
}

// MissedCalls reads the missed calls from a worker's attributes JSON; other
// attributes are left in attrs for WithMissedCalls.
func MissedCalls(attributes string) (list []MissedCall, attrs map[string]json.RawMessage, err error) {
	attrs = map[string]json.RawMessage{}
	if attributes != "" {
		if err := json.Unmarshal([]byte(attributes), &attrs); err != nil {
			return nil, nil, fmt.Errorf("worker attributes: %w", err)
		}
	}
	if raw, ok := attrs[MissedCallsKey]; ok {
		// A list someone else wrote badly is started afresh rather than
		// blocking every missed call to come.
		_ = json.Unmarshal(raw, &list)
	}
	return list, attrs, nil
}

// WithMissedCalls is the attributes JSON with the list in place of the old one.
func WithMissedCalls(attrs map[string]json.RawMessage, list []MissedCall) (string, error) {
	if list == nil {
		list = []MissedCall{}
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", err
	}
	attrs[MissedCallsKey] = b
	out, err := json.Marshal(attrs)
	return string(out), err
}
