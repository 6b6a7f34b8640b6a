package call

// TargetKind says whether a call is placed to one agent or to a queue.
type TargetKind string

const (
	TargetAgent TargetKind = "agent"
	TargetQueue TargetKind = "queue"
)

// Role is the side of the call a task belongs to.
type Role string

const (
	RoleCaller Role = "caller"
	RoleCallee Role = "callee"
)

// Status is the progress of an internal call, written by the server into both
// tasks' internal_call.status so that either browser can show it.
type Status string

const (
	// StatusInitiated: the caller's task exists; the caller's leg is being set up.
	StatusInitiated Status = "initiated"
	// StatusRinging: the caller is in the conference hearing ringback; the callee is offered.
	StatusRinging Status = "ringing"
	// StatusConnected: both legs are in the conference.
	StatusConnected Status = "connected"
	// StatusEnded: a connected call was hung up.
	StatusEnded Status = "ended"
	// StatusDeclined: the callee rejected the call.
	StatusDeclined Status = "declined"
	// StatusNoAnswer: nobody accepted before the ring timeout.
	StatusNoAnswer Status = "no-answer"
	// StatusCanceled: the caller hung up before the callee answered.
	StatusCanceled Status = "canceled"
	// StatusFailed: the call could not be set up; Reason says why.
	StatusFailed Status = "failed"
)

// Final reports whether no further status can follow s.
func (s Status) Final() bool {
	switch s {
	case StatusEnded, StatusDeclined, StatusNoAnswer, StatusCanceled, StatusFailed:
		return true
	}
	return false
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusInitiated, StatusRinging, StatusConnected:
		return true
	}
	return s.Final()
}
