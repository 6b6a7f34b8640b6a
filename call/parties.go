package call

import "strings"

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
