// Package callflow is what the server does during an internal call: the TwiML
// each leg gets, the callee task created exactly once, the status both tasks
// show, and the actions agents take from the browser. It holds no call state:
// everything is read from and written to Twilio (task attributes, conference),
// so any number of server replicas can share the work.
package callflow

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
)

// Settings configure a Flow.
type Settings struct {
	WorkspaceSid  string
	WorkflowSid   string // the "Internal Call" workflow the callee task is created in
	PublicBaseURL string // where Twilio reaches this server
	RingTimeout   time.Duration
	// ClaimTTL is how long a replica's claim to create the callee task holds
	// before another replica may take over (default 20s).
	ClaimTTL time.Duration
	// CreateAttempts bounds the tries to create the callee task (default 4).
	CreateAttempts int
	// RetryDelay is the first backoff between tries (default 300ms).
	RetryDelay time.Duration
}

// Flow runs internal calls against Twilio.
type Flow struct {
	tw     *twilioapi.Client
	s      Settings
	log    *slog.Logger
	now    func() time.Time
	queues queueCache
}

// New builds a Flow.
func New(tw *twilioapi.Client, s Settings, log *slog.Logger) *Flow {
	if s.ClaimTTL == 0 {
		s.ClaimTTL = 20 * time.Second
	}
	if s.CreateAttempts == 0 {
		s.CreateAttempts = 4
	}
	if s.RetryDelay == 0 {
		s.RetryDelay = 300 * time.Millisecond
	}
	return &Flow{tw: tw, s: s, log: log, now: time.Now}
}

// Error is a failure with the HTTP status the caller of the API should see.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

// HTTPStatus maps an error from this package to an HTTP status.
func HTTPStatus(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	if s := twilioapi.StatusOf(err); s == http.StatusNotFound {
		return http.StatusNotFound
	}
	return http.StatusBadGateway
}

func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }

func (f *Flow) url(path string) string { return call.JoinURL(f.s.PublicBaseURL, path) }

// internalCall returns the task's internal_call state, filling it in for tasks
// created by older plugins that only set the compatible keys.
func internalCall(t *twilioapi.Task) *call.InternalCall {
	a := &t.Attributes
	if a.InternalCall == nil {
		role := call.RoleCallee
		if a.Direction == "outbound" {
			role = call.RoleCaller
		}
		a.InternalCall = &call.InternalCall{Role: role, Target: a.Kind(), Status: call.StatusInitiated}
		if a.Conference != nil {
			a.InternalCall.ConferenceSid = a.Conference.Sid
		}
	}
	return a.InternalCall
}

// fetchInternal fetches a task and checks it is an internal call.
func (f *Flow) fetchInternal(sid string) (*twilioapi.Task, *call.InternalCall, error) {
	t, err := f.tw.FetchTask(f.s.WorkspaceSid, sid)
	if err != nil {
		if twilioapi.StatusOf(err) == http.StatusNotFound {
			return nil, nil, errorf(http.StatusNotFound, "task %s not found", sid)
		}
		return nil, nil, err
	}
	if !t.Attributes.IsInternalCall() {
		return nil, nil, errorf(http.StatusNotFound, "task %s is not an internal call", sid)
	}
	return t, internalCall(t), nil
}

// mutate applies change to a task's latest revision, retrying when another
// writer got in between (HTTP 412 on If-Match). change edits the task in place
// and returns the update to send, or nil when nothing needs to change.
func (f *Flow) mutate(sid string, change func(t *twilioapi.Task, ic *call.InternalCall) *twilioapi.TaskUpdate) (*twilioapi.Task, error) {
	for attempt := 0; ; attempt++ {
		t, ic, err := f.fetchInternal(sid)
		if err != nil {
			return nil, err
		}
		u := change(t, ic)
		if u == nil {
			return t, nil
		}
		u.IfMatch = t.ETag
		nt, err := f.tw.UpdateTask(f.s.WorkspaceSid, sid, *u)
		if err == nil {
			return nt, nil
		}
		if twilioapi.StatusOf(err) != http.StatusPreconditionFailed || attempt >= 8 {
			return nil, err
		}
	}
}

// attrs returns an update writing the task's (edited) attributes.
func attrs(t *twilioapi.Task) *twilioapi.TaskUpdate {
	return &twilioapi.TaskUpdate{Attributes: &t.Attributes}
}
