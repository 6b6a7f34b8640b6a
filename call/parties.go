package call

import (
	"strconv"
	"strings"
	"time"
)

// QueueURIPrefix marks the `to` of a call placed to a queue: "queue:<name>".
const QueueURIPrefix = "queue:"

// Contact URI schemes of Flex agents.
const (
	schemeClient = "client:"
	schemeSIP    = "sip:"
)

// IsSIP reports whether a worker's contact_uri is a SIP address; such agents
// place their leg with the outbound caller ID as `from`.
func IsSIP(contactURI string) bool { return strings.HasPrefix(contactURI, schemeSIP) }

// ValidContactURI reports whether s is a client: or sip: address with something after the scheme.
func ValidContactURI(s string) bool {
	for _, p := range []string{schemeClient, schemeSIP} {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return true
		}
	}
	return false
}

// Caller describes the agent placing a call.
type Caller struct {
	ContactURI string // the caller's worker contact_uri, e.g. client:alice
	Name       string // display name
}

// Target is who is being called: an agent (ContactURI) or a queue (QueueName).
type Target struct {
	Kind       TargetKind
	ContactURI string
	QueueName  string
	Name       string // display name of the agent or queue
}

// Address is the `to` of the call: the agent's contact URI or queue:<name>.
func (t Target) Address() string {
	if t.Kind == TargetQueue {
		return QueueURIPrefix + t.QueueName
	}
	return t.ContactURI
}

// CallerAttributes builds the attributes of the task the caller's browser creates
// (routed back to the caller, who accepts it to place the call).
func CallerAttributes(from Caller, to Target) Attributes {
	a := Attributes{
		ClientCall:   true,
		Direction:    "outbound",
		To:           to.Address(),
		From:         from.ContactURI,
		Name:         to.Name,
		FromName:     from.Name,
		TargetWorker: from.ContactURI,
		AutoAnswer:   "true",
		InternalCall: &InternalCall{
			Role:     RoleCaller,
			Target:   to.Kind,
			Status:   StatusInitiated,
			PeerName: to.Name,
		},
	}
	if to.Kind == TargetQueue {
		a.CallToQueue = to.QueueName
	}
	return a
}

// CalleeAttributes builds the attributes of the task the server creates for the
// callee from the caller's task, once the caller's leg is in the conference.
// The Internal Call workflow routes it by targetWorker (agent) or callToQueue (queue).
func CalleeAttributes(callerTaskSid string, caller Attributes, conf Conference) Attributes {
	ic := caller.InternalCall
	kind := caller.Kind()
	a := Attributes{
		ClientCall: true,
		Direction:  "inbound",
		To:         caller.To,
		From:       caller.From,
		Name:       caller.FromName,
		FromName:   caller.FromName,
		AutoAnswer: "false",
		Conference: &conf,
		InternalCall: &InternalCall{
			Role:          RoleCallee,
			Target:        kind,
			Status:        StatusRinging,
			PeerName:      caller.FromName,
			CallerTaskSid: callerTaskSid,
			ConferenceSid: conf.Sid,
		},
		Conversations: &Conversations{ConversationID: callerTaskSid},
	}
	if ic != nil {
		a.InternalCall.CallerCallSid = ic.CallerCallSid
	}
	if kind == TargetQueue {
		a.CallToQueue = caller.CallToQueue
		a.InternalCall.Via = caller.CallToQueue
	} else {
		a.TargetWorker = caller.To
	}
	return a
}

// Transfers and added participants. A call starts between two agents, the
// caller and the callee; any agent still on it may then transfer it (to an
// agent or a queue, cold or warm) or add an external number. Every such
// party is recorded on the caller's task, the call's record, beside the two
// agents: the record the server seals, and the only one that says who is on
// the call.

// RoleTarget is the task of an agent, or of a queue, offered a call already
// in progress: the target of a transfer. Its internal_call names the caller's
// task (the call's record) and its participant label.
const RoleTarget Role = "target"

// TransferMode says when the transferring agent leaves the call.
type TransferMode string

const (
	// TransferCold: the transferring agent leaves as soon as the target joins.
	TransferCold TransferMode = "cold"
	// TransferWarm: the target joins and all talk; the transferring agent
	// then completes the transfer (leaves) or cancels it (the target leaves).
	TransferWarm TransferMode = "warm"
)

// Valid reports whether m is cold or warm.
func (m TransferMode) Valid() bool { return m == TransferCold || m == TransferWarm }

// PartyKind is what a party of the call is.
type PartyKind string

const (
	PartyAgent    PartyKind = "agent"
	PartyQueue    PartyKind = "queue" // a transfer to a queue, until an agent of it answers
	PartyExternal PartyKind = "external"
)

// PartyStatus is how far a party got.
type PartyStatus string

const (
	PartyRinging  PartyStatus = "ringing" // offered (an agent or queue) or being dialled (a number)
	PartyJoined   PartyStatus = "joined"
	PartyLeft     PartyStatus = "left"
	PartyDeclined PartyStatus = "declined"
	PartyNoAnswer PartyStatus = "no-answer"
	PartyCanceled PartyStatus = "canceled" // withdrawn before answering
	PartyFailed   PartyStatus = "failed"
)

// Final reports whether the party is off the call for good.
func (s PartyStatus) Final() bool { return s != PartyRinging && s != PartyJoined }

// Participant labels of the call's two agents; added parties are labelled
// LabelTransferPrefix or LabelExternalPrefix and a number.
const (
	LabelCaller         = "caller"
	LabelCallee         = "callee"
	LabelTransferPrefix = "transfer-"
	LabelExternalPrefix = "external-"
)

// IsPartyLabel reports whether label names an added party.
func IsPartyLabel(label string) bool {
	for _, p := range []string{LabelTransferPrefix, LabelExternalPrefix} {
		if n, ok := strings.CutPrefix(label, p); ok {
			if i, err := strconv.Atoi(n); err == nil && i > 0 && strconv.Itoa(i) == n {
				return true
			}
		}
	}
	return false
}

// Party is someone added to a call: a transfer target or an external number.
type Party struct {
	Label string    `json:"label"`
	Kind  PartyKind `json:"kind"`
	// Name is the agent's or queue's display name; for a number, the
	// number masked to its last digits (the full number is never stored).
	Name string `json:"name,omitempty"`
	// Address is where an agent target's leg must be dialled (contact URI),
	// or the queue's name.
	Address string      `json:"address,omitempty"`
	TaskSid string      `json:"task_sid,omitempty"` // the target's task
	CallSid string      `json:"call_sid,omitempty"`
	Status  PartyStatus `json:"status"`
	Reason  string      `json:"reason,omitempty"`
	// By is the label of the party who brought them in.
	By string `json:"by,omitempty"`
	// Since is when the party was offered or dialled (Unix seconds): the
	// ring timeout counts from it.
	Since int64 `json:"since,omitempty"`
	// Claim marks the replica creating the target's task or dialling the
	// number, as InternalCall.Claim does for the callee's task.
	Claim *Claim `json:"claim,omitempty"`
}

// PartiesKey is the task attribute, beside internal_call, that holds a
// call's PartyState once a party is added (the seal of internal_call covers
// it). It is a key of its own so that the types of two-party calls, which
// the browser side encodes, stay as they were.
const PartiesKey = "internal_call_parties"

// PartyState is who is on a call beyond its two agents: on the caller's
// task (the call's record) the parties added, the labels of those who left
// while the call went on and the transfer in progress; the other tasks of
// the call carry a copy for their agents' screens. On a target's task,
// Label is its own participant label.
type PartyState struct {
	Label    string    `json:"label,omitempty"`
	Parties  []Party   `json:"parties,omitempty"`
	Left     []string  `json:"left,omitempty"`
	Transfer *Transfer `json:"transfer,omitempty"`
}

// Empty reports whether s says nothing.
func (s *PartyState) Empty() bool {
	return s == nil || (s.Label == "" && len(s.Parties) == 0 && len(s.Left) == 0 && s.Transfer == nil)
}

// Transfer is the transfer in progress on a call (at most one).
type Transfer struct {
	Label string       `json:"label"` // the target party
	By    string       `json:"by"`    // the transferring party
	Mode  TransferMode `json:"mode"`
}

// MaskNumber shows a phone number by its last four digits only.
func MaskNumber(n string) string {
	if len(n) <= 4 {
		return "•••"
	}
	return "•••" + n[len(n)-4:]
}

// Paths below PathAPICalls+"/{taskSid}" of the transfer and participant API.
const (
	PathTransfer         = "/transfer"
	PathTransferComplete = "/transfer/complete"
	PathTransferCancel   = "/transfer/cancel"
	PathParticipants     = "/participants" // + "/{label}" to remove, + "/{label}/hold" or "/unhold"
)

// CallURL is the server endpoint for a call's task with one of the paths
// above (and, for a participant, "/" + its label).
func CallURL(base, taskSid, path string) string {
	return JoinURL(base, PathAPICalls+"/"+escape(taskSid)+path)
}

// APITransfer is the body of POST /api/calls/{taskSid}/transfer. Target is
// an agent's contact URI (client:… or sip:…) or queue:<name>; Name is the
// agent's display name for the other parties' screens.
type APITransfer struct {
	Target string       `json:"target"`
	Name   string       `json:"name,omitempty"`
	Mode   TransferMode `json:"mode"`
}

// APIAddParticipant is the body of POST /api/calls/{taskSid}/participants.
type APIAddParticipant struct {
	Number string `json:"number"` // E.164, e.g. +15551234567
}

// APIPartyOK answers a transfer or an added number: the new party's label.
type APIPartyOK struct {
	Status string `json:"status"` // "ok"
	Label  string `json:"label"`
}

// APIParticipants is the body of GET /api/calls/{taskSid}/participants: who
// is on the call, as the participants panel shows it.
type APIParticipants struct {
	Participants []APIParticipant `json:"participants"`
	// Transfer is the transfer in progress, if any.
	Transfer *APITransferState `json:"transfer,omitempty"`
}

// APIParticipant is one party of the call.
type APIParticipant struct {
	Label  string      `json:"label"`
	Kind   PartyKind   `json:"kind"`
	Name   string      `json:"name"` // agents and queues by name; numbers masked
	Status PartyStatus `json:"status"`
	Reason string      `json:"reason,omitempty"`
	Hold   bool        `json:"hold"`
	You    bool        `json:"you,omitempty"` // the party of the agent asking
}

// APITransferState is a transfer in progress.
type APITransferState struct {
	Label  string       `json:"label"`
	By     string       `json:"by"`
	Mode   TransferMode `json:"mode"`
	Status PartyStatus  `json:"status"` // the target's: ringing or joined
}

// NewParticipant is a number to dial into a conference (Create Participant).
type NewParticipant struct {
	From, To string
	Label    string
	// StatusCallback hears of the participant's call (its end, above all:
	// a number that is busy or does not answer never joins).
	StatusCallback string
	Timeout        time.Duration // how long it rings
}
