package callflow

import (
	"context"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// What the flow needs of Twilio. twilioapi implements these against Twilio's
// REST APIs; callflowtest keeps them in memory for the unit tests. Every
// method runs under the context of the request being served, and every error
// carries a call.Code (call.NotFound, call.Stale, call.Unavailable, …).

// TaskRouter is the Flex workspace's TaskRouter.
type TaskRouter interface {
	Workers
	// FetchTask returns the task with its revision (ETag).
	FetchTask(ctx context.Context, sid string) (*call.Task, error)
	// UpdateTask changes a task; with IfMatch it fails with call.Stale when
	// the task changed since that revision.
	UpdateTask(ctx context.Context, sid string, u call.TaskUpdate) (*call.Task, error)
	CreateTask(ctx context.Context, t call.NewTask) (*call.Task, error)
	// FindTasks lists the tasks whose attributes match a TaskRouter expression.
	FindTasks(ctx context.Context, expression string) ([]*call.Task, error)
	// FindOpenTasks lists the pending, reserved and assigned tasks whose
	// attributes match, oldest first, at most limit of them.
	FindOpenTasks(ctx context.Context, expression string, limit int) ([]*call.Task, error)
	// TaskReservations lists a task's reservations (one worker's, unless workerSid is empty).
	TaskReservations(ctx context.Context, taskSid, workerSid string) ([]call.Reservation, error)
	RejectReservation(ctx context.Context, taskSid, reservationSid string) error
	WorkerContactURI(ctx context.Context, workerSid string) (string, error)
	FetchWorkflow(ctx context.Context, sid string) (*call.Workflow, error)
	QueueName(ctx context.Context, queueSid string) (string, error)
}

// Voice is Twilio's Voice API: conferences, their participants, and calls.
type Voice interface {
	// ConferenceStatus returns call.ConferenceInit, ConferenceInProgress or ConferenceCompleted.
	ConferenceStatus(ctx context.Context, conferenceSid string) (string, error)
	EndConference(ctx context.Context, conferenceSid string) error
	// InConference reports whether the call is a participant of the conference now.
	InConference(ctx context.Context, conferenceSid, callSid string) (bool, error)
	// Participants lists who is in the conference now.
	Participants(ctx context.Context, conferenceSid string) ([]call.Participant, error)
	// ConferenceByName returns the newest conference with the friendly name
	// that is not over ("" when there is none).
	ConferenceByName(ctx context.Context, friendlyName string) (string, error)
	HoldParticipant(ctx context.Context, conferenceSid, callSid string, hold bool) error
	// AddParticipant dials a number into the conference (Create Participant)
	// and returns the SID of the call placed.
	AddParticipant(ctx context.Context, conferenceSid string, p call.NewParticipant) (string, error)
	// SetEndConferenceOnExit sets whether the conference ends when the
	// participant leaves (Update Participant, EndConferenceOnExit).
	SetEndConferenceOnExit(ctx context.Context, conferenceSid, callSid string, end bool) error
	// RedirectCall replaces what a live call does with the given TwiML.
	RedirectCall(ctx context.Context, callSid, twiml string) error
	EndCall(ctx context.Context, callSid string) error
	// FetchCall returns a call's address and status.
	FetchCall(ctx context.Context, callSid string) (*call.Leg, error)
}

// Clock is the flow's time: the wall clock in production, a fake one in
// tests that drive ring timeouts, claim expiry and retries step by step.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx ends, whichever is first.
	Sleep(ctx context.Context, d time.Duration) error
}
