package call

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Attributes is the JSON a task carries. The first block keeps the keys older
// internal-call plugins and other Flex features read; InternalCall and
// Conversations are ours. Keys this type does not know (written by Flex or by
// other plugins) survive a decode/encode round trip in Extra.
type Attributes struct {
	ClientCall   bool        `json:"client_call"`
	Direction    string      `json:"direction,omitempty"`
	To           string      `json:"to,omitempty"`
	From         string      `json:"from,omitempty"`
	Name         string      `json:"name,omitempty"`
	FromName     string      `json:"fromName,omitempty"`
	TargetWorker string      `json:"targetWorker,omitempty"`
	CallToQueue  string      `json:"callToQueue,omitempty"`
	AutoAnswer   string      `json:"autoAnswer,omitempty"`
	OutboundTo   string      `json:"outbound_to,omitempty"`
	Conference   *Conference `json:"conference,omitempty"`

	InternalCall  *InternalCall  `json:"internal_call,omitempty"`
	Conversations *Conversations `json:"conversations,omitempty"`

	// Extra holds every key not listed above, untouched.
	Extra map[string]json.RawMessage `json:"-"`
}

// Conference is the key Flex itself uses to find a task's conference.
type Conference struct {
	Sid          string `json:"sid,omitempty"`
	FriendlyName string `json:"friendlyName,omitempty"`
}

// Conversations links both tasks of one call in Flex Insights.
type Conversations struct {
	ConversationID string `json:"conversation_id,omitempty"`
}

// InternalCall is the live state of the call, kept on both tasks.
type InternalCall struct {
	Role          Role       `json:"role"`
	Target        TargetKind `json:"target"`
	Status        Status     `json:"status"`
	Reason        string     `json:"reason,omitempty"`
	PeerName      string     `json:"peer_name,omitempty"`
	CallerTaskSid string     `json:"caller_task_sid,omitempty"`
	CalleeTaskSid string     `json:"callee_task_sid,omitempty"`
	ConferenceSid string     `json:"conference_sid,omitempty"`
	CallerCallSid string     `json:"caller_call_sid,omitempty"`
	CalleeCallSid string     `json:"callee_call_sid,omitempty"`
	// Held is the party currently on hold, if any.
	Held Role `json:"held,omitempty"`
	// Via is the queue (its callToQueue name) a queue call came through: on
	// the callee's task from the start, on the caller's once an agent
	// answered, PeerName then naming that agent.
	Via string `json:"via,omitempty"`
	// Claim marks the moment one server replica began creating the callee task, so
	// that other replicas handling a duplicate callback leave it alone.
	Claim *Claim `json:"claim,omitempty"`
	// Seal authenticates the fields above as written by the server (an HMAC
	// bound to the task's SID), and the task's PartiesKey if any. Browsers may write internal_call too; without
	// a seal that holds, the server trusts none of it.
	Seal string `json:"seal,omitempty"`
}

// Claim records who is creating the callee task and since when (Unix seconds).
type Claim struct {
	By    string `json:"by"`
	Since int64  `json:"since"`
}

// knownKeys are the JSON keys Attributes decodes into fields.
var knownKeys = []string{
	"client_call", "direction", "to", "from", "name", "fromName", "targetWorker",
	"callToQueue", "autoAnswer", "outbound_to", "conference", "internal_call", "conversations",
}

// attributesFields has Attributes' fields without its methods, for the default codec.
type attributesFields Attributes

// UnmarshalJSON decodes the known keys and keeps every other key in Extra.
// Keys match exactly: encoding/json alone would also fill a field from a key
// that differs only in case ("Conversations"), which then stayed in Extra as
// well and was written back twice.
func (a *Attributes) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	known := make(map[string]json.RawMessage, len(knownKeys))
	for _, k := range knownKeys {
		if v, ok := all[k]; ok {
			known[k] = v
			delete(all, k)
		}
	}
	kb, err := json.Marshal(known)
	if err != nil {
		return err
	}
	var fields attributesFields
	if err := json.Unmarshal(kb, &fields); err != nil {
		return err
	}
	if len(all) == 0 {
		all = nil
	}
	*a = Attributes(fields)
	a.Extra = all
	return nil
}

// MarshalJSON encodes the known fields and merges Extra back in.
func (a Attributes) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(attributesFields(a))
	if err != nil || len(a.Extra) == 0 {
		return b, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range a.Extra {
		if _, known := all[k]; !known {
			all[k] = v
		}
	}
	return json.Marshal(all)
}

// ParseAttributes decodes a task's attributes string.
func ParseAttributes(s string) (Attributes, error) {
	var a Attributes
	if strings.TrimSpace(s) == "" {
		return a, nil
	}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return a, fmt.Errorf("task attributes: %w", err)
	}
	return a, nil
}

// String encodes the attributes for the TaskRouter API.
func (a Attributes) String() string {
	b, err := json.Marshal(a)
	if err != nil {
		// Every field is a plain string, bool or struct of those; Extra holds valid JSON.
		panic(err)
	}
	return string(b)
}

// IsInternalCall reports whether a task is an internal call: the flag other Flex
// features test.
func (a Attributes) IsInternalCall() bool { return a.ClientCall }

// Kind is the target kind of the call the task belongs to.
func (a Attributes) Kind() TargetKind {
	if a.InternalCall != nil && a.InternalCall.Target != "" {
		return a.InternalCall.Target
	}
	if a.CallToQueue != "" || strings.HasPrefix(a.To, QueueURIPrefix) {
		return TargetQueue
	}
	return TargetAgent
}
