package call

import "time"

// TaskRouter assignment statuses.
const (
	TaskPending   = "pending"
	TaskReserved  = "reserved"
	TaskAssigned  = "assigned"
	TaskWrapping  = "wrapping"
	TaskCompleted = "completed"
	TaskCanceled  = "canceled"
)

// Task is a TaskRouter task with its attributes decoded and its revision.
type Task struct {
	Sid              string
	AssignmentStatus string
	Reason           string
	WorkflowSid      string
	TaskQueueSid     string
	Attributes       Attributes
	// Created is when TaskRouter created the task (zero when not known).
	Created time.Time
	// ETag is the task's revision; an update with it as IfMatch fails with
	// Stale when someone else changed the task in between.
	ETag string
}

// Open reports whether the task is still pending, reserved or assigned.
func (t *Task) Open() bool {
	switch t.AssignmentStatus {
	case TaskPending, TaskReserved, TaskAssigned:
		return true
	}
	return false
}

// TaskUpdate is a change to a task; empty fields are left alone.
type TaskUpdate struct {
	Attributes       *Attributes
	AssignmentStatus string
	Reason           string
	// IfMatch makes the update conditional on the task's ETag.
	IfMatch string
}

// NewTask is a task to create in a workflow on the voice channel.
type NewTask struct {
	WorkflowSid string
	Attributes  Attributes
	// Timeout is how long TaskRouter keeps the task before canceling it.
	Timeout time.Duration
}

// Reservation statuses the server acts on.
const (
	ReservationPending  = "pending"
	ReservationAccepted = "accepted"
	ReservationWrapping = "wrapping"
	ReservationCanceled = "canceled"
)

// Reservation is the part of a TaskRouter reservation the server needs.
type Reservation struct {
	Sid       string
	WorkerSid string
	Status    string
}

// Workflow is a TaskRouter workflow with its raw configuration JSON.
type Workflow struct {
	Sid           string
	FriendlyName  string
	Configuration string
}

// Conference statuses as the Voice API reports them.
const (
	ConferenceInit       = "init"
	ConferenceInProgress = "in-progress"
	ConferenceCompleted  = "completed"
)

// FlexUser is the signed-in Flex user behind a browser request, as Twilio
// IAM vouched for.
type FlexUser struct {
	WorkerSid string
	Identity  string
}

// FlexToken is what Twilio IAM says about a Flex user token.
type FlexToken struct {
	Valid      bool
	Message    string // why it is not valid
	Expiration time.Time
	Identity   string
	WorkerSid  string
	Roles      []string
}

// Participant is a leg in a conference, as the Voice API lists it.
type Participant struct {
	CallSid string
	Label   string
	Hold    bool
	// EndOnExit: the conference ends when this participant leaves.
	EndOnExit bool
}

// Leg is a phone call as Twilio's Call resource reports it.
type Leg struct {
	Sid    string
	To     string // the address dialled
	Status string // queued, ringing, in-progress, completed, busy, failed, no-answer, canceled
}

// Over reports whether the leg has ended.
func (l Leg) Over() bool {
	switch l.Status {
	case "completed", "busy", "failed", "no-answer", "canceled":
		return true
	}
	return false
}
