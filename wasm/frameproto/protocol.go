// Package frameproto is the postMessage protocol between the bridge (in the
// Flex page) and the dialpad (in its iframe). Every message is an Envelope in
// the "flex-internal-call" namespace with a protocol version; each side checks
// the namespace, the version, the exact origin and the source window before
// reading anything else, because Flex and other plugins post messages too.
//
// It imports only the standard library so both WebAssembly programs and the
// native component tests share it.
package frameproto

import (
	"encoding/json"
	"fmt"
)

// Namespace marks our messages among everything else posted in the page.
const Namespace = "flex-internal-call"

// Version is the protocol version; a side ignores messages of another version.
const Version = 1

// Type names a message.
type Type string

// Host (bridge) → frame (dialpad).
const (
	// TypeInit configures the dialpad: Init.
	TypeInit Type = "init"
	// TypeDirectory replaces the list of callable workers: Directory.
	TypeDirectory Type = "directory"
	// TypeQueues replaces the list of callable queues: Queues.
	TypeQueues Type = "queues"
	// TypeCallStatus reports the progress of the call the agent placed: CallStatus.
	TypeCallStatus Type = "call-status"
	// TypeMissedCalls replaces the list of the agent's missed calls: MissedCalls.
	TypeMissedCalls Type = "missed-calls"
	// TypeAPIAnswer is the server's answer to an APIRequest: APIAnswer.
	TypeAPIAnswer Type = "api-answer"
	// TypeCallChanged tells a participants panel that its call's task
	// changed (someone joined, left, or a transfer moved on): ask the server
	// again now rather than at the next poll (no payload).
	TypeCallChanged Type = "call-changed"
)

// Frame (dialpad) → host (bridge).
const (
	// TypeReady says the dialpad is rendered and listening (no payload).
	TypeReady Type = "ready"
	// TypeHeight reports the content height so the host sizes the iframe: Height.
	TypeHeight Type = "height"
	// TypePlaceCall asks the bridge to place a call: PlaceCall.
	TypePlaceCall Type = "place-call"
	// TypeDismissMissed asks the bridge to remove a missed call (dismissed,
	// or called back): DismissMissed.
	TypeDismissMissed Type = "dismiss-missed"
	// TypeAPIRequest asks the bridge to call the server's API for the call a
	// participants panel shows, with the agent's Flex token: APIRequest.
	TypeAPIRequest Type = "api-request"
)

// Envelope is the shape of every message.
type Envelope struct {
	NS      string          `json:"ns"`
	V       int             `json:"v"`
	Type    Type            `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Encode wraps a payload in an envelope, as a JSON string (posted as a string
// so that no structured-clone quirks differ between Go and JavaScript).
func Encode(t Type, payload any) (string, error) {
	e := Envelope{NS: Namespace, V: Version, Type: t}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return "", err
		}
		e.Payload = b
	}
	b, err := json.Marshal(e)
	return string(b), err
}

// Decode parses a posted string; ok is false for anything that is not one of
// our messages of this version (those are ignored, not errors).
func Decode(data string) (e Envelope, ok bool) {
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		return Envelope{}, false
	}
	return e, e.NS == Namespace && e.V == Version && e.Type != ""
}

// Into decodes the envelope's payload.
func (e Envelope) Into(v any) error {
	if len(e.Payload) == 0 {
		return fmt.Errorf("%s: missing payload", e.Type)
	}
	return json.Unmarshal(e.Payload, v)
}

// Init is the dialpad's configuration.
type Init struct {
	Theme    string   `json:"theme"`    // "light" or "dark"
	Language string   `json:"language"` // BCP 47, e.g. "es-MX"; unknown → en-US
	Features Features `json:"features"`
	// Self is the agent using the dialpad: never offered as a callee.
	SelfWorkerSid string `json:"self_worker_sid"`
	// TaskSid, when set, makes the frame the participants panel of that
	// internal call (the agent's own task of it), in the call's canvas.
	TaskSid string `json:"task_sid,omitempty"`
}

// Features are the flags of ui_attributes.custom_data.features.internal_call.
type Features struct {
	CallAgent bool `json:"call_agent"`
	CallQueue bool `json:"call_queue"`
	// BlockBusy makes busy or unavailable agents unselectable instead of warning.
	BlockBusy bool `json:"block_busy"`
}

// Availability of a worker as the dialpad shows it.
type Availability string

const (
	Available   Availability = "available"
	OnCall      Availability = "on-call"
	Unavailable Availability = "unavailable" // in a non-available activity (ActivityName says which)
	Offline     Availability = "offline"
)

// Worker is one entry of the directory.
type Worker struct {
	WorkerSid    string       `json:"worker_sid"`
	FullName     string       `json:"full_name,omitempty"`
	FriendlyName string       `json:"friendly_name"`
	ContactURI   string       `json:"contact_uri"`
	ActivityName string       `json:"activity_name"`
	Availability Availability `json:"availability"`
}

// DisplayName is full_name, or friendly_name for workers without one.
func (w Worker) DisplayName() string {
	if w.FullName != "" {
		return w.FullName
	}
	return w.FriendlyName
}

// Directory is the full list of workers (the bridge keeps it current and
// resends it on change).
type Directory struct {
	Workers []Worker `json:"workers"`
}

// Queue is a callable queue.
type Queue struct {
	Name            string `json:"name"` // the callToQueue value
	FriendlyName    string `json:"friendly_name"`
	AvailableAgents *int   `json:"available_agents,omitempty"` // nil: unknown
}

// Queues is the list of callable queues.
type Queues struct {
	Queues []Queue `json:"queues"`
	Error  string  `json:"error,omitempty"` // why the list could not be loaded
}

// CallStatus is the progress of the call placed from this dialpad.
type CallStatus struct {
	// Status is "placing" while the bridge creates the task, then one of the
	// call package's statuses (initiated, ringing, connected, declined,
	// no-answer, canceled, failed, ended).
	Status   string `json:"status"`
	PeerName string `json:"peer_name,omitempty"`
	// Via is the queue a queue call came through, once an agent answered
	// (PeerName then names the agent).
	Via    string `json:"via,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Height is the dialpad content height in CSS pixels.
type Height struct {
	Px int `json:"px"`
}

// PlaceCall asks for a call to an agent (WorkerSid/ContactURI) or a queue (QueueName).
type PlaceCall struct {
	Kind       string `json:"kind"` // "agent" or "queue"
	WorkerSid  string `json:"worker_sid,omitempty"`
	ContactURI string `json:"contact_uri,omitempty"`
	QueueName  string `json:"queue_name,omitempty"`
	Name       string `json:"name"` // display name of the callee
}

// MissedCalls is the agent's missed calls, newest first: the worker
// attribute the server keeps (call.MissedCall), forwarded as it is.
type MissedCalls struct {
	MissedCalls []MissedCall `json:"missed_calls"`
}

// MissedCall is one call the agent did not answer (call.MissedCall's JSON).
type MissedCall struct {
	ID            string `json:"id"`
	From          string `json:"from"` // the caller's contact_uri
	FromName      string `json:"from_name"`
	FromWorkerSid string `json:"from_worker_sid"`
	At            int64  `json:"at"` // Unix seconds
}

// DismissMissed names the missed call to remove.
type DismissMissed struct {
	ID string `json:"id"`
}

// APIRequest is one call of the server's API on the panel's call: Method is
// GET, POST or DELETE; Path is under /api/calls/{taskSid} (call.PathTransfer,
// call.PathParticipants, "/participants/external-1/hold", …); Body is the
// JSON body (call.APITransfer, call.APIAddParticipant), if any. The bridge
// sends it with the Flex token for the panel's own task only.
type APIRequest struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Body   json.RawMessage `json:"body,omitempty"`
}

// APIAnswer answers the APIRequest of the same ID: the HTTP status (0 when
// the server could not be reached), the JSON body, and for anything but 2xx
// the reason in the agent's language.
type APIAnswer struct {
	ID     int             `json:"id"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body,omitempty"`
	Error  string          `json:"error,omitempty"`
}
