// Package callflow is what the server does during an internal call: the TwiML
// each leg gets, the callee task created exactly once, the status both tasks
// show, and the actions agents take from the browser. It holds no call state:
// everything is read from and written to Twilio (task attributes, conference),
// so any number of server replicas can share the work.
//
// The flow talks to Twilio only through the TaskRouter and Voice interfaces
// (twilio.go) and reports failures as call.Error values whose Code the HTTP
// edge maps to a status.
package callflow

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/backoff"
)

// Settings configure a Flow.
type Settings struct {
	WorkflowSid   string // the "Internal Call" workflow the callee task is created in
	PublicBaseURL string // where Twilio reaches this server
	RingTimeout   time.Duration
	// ClaimTTL is how long a replica's claim to create the callee task holds
	// before another replica may take over (default 20s).
	ClaimTTL time.Duration
	// CreateAttempts bounds the tries to create the callee task (default 4).
	CreateAttempts int
	// Retry spaces the tries to create the callee task (default 300ms doubling, at most 2s).
	Retry backoff.Policy
}

// Flow runs internal calls against Twilio.
type Flow struct {
	tr     TaskRouter
	voice  Voice
	clock  Clock
	s      Settings
	log    *slog.Logger
	queues queueCache
}

// New builds a Flow. A nil clock is the wall clock.
func New(tr TaskRouter, voice Voice, clock Clock, s Settings, log *slog.Logger) *Flow {
	if s.ClaimTTL == 0 {
		s.ClaimTTL = 20 * time.Second
	}
	if s.CreateAttempts == 0 {
		s.CreateAttempts = 4
	}
	if s.Retry.Base == 0 {
		s.Retry = backoff.Policy{Base: 300 * time.Millisecond, Max: 2 * time.Second}
	}
	if clock == nil {
		clock = WallClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Flow{tr: tr, voice: voice, clock: clock, s: s, log: log}
}

// WallClock is the real time.
type WallClock struct{}

func (WallClock) Now() time.Time { return time.Now() }

func (WallClock) Sleep(ctx context.Context, d time.Duration) error { return backoff.Sleep(ctx, d) }

func (f *Flow) now() time.Time { return f.clock.Now() }

func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }

func (f *Flow) url(path string) string { return call.JoinURL(f.s.PublicBaseURL, path) }

// internalCall returns the task's internal_call state, filling it in for tasks
// created by older plugins that only set the compatible keys.
func internalCall(t *call.Task) *call.InternalCall {
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
func (f *Flow) fetchInternal(ctx context.Context, sid string) (*call.Task, *call.InternalCall, error) {
	t, err := f.tr.FetchTask(ctx, sid)
	if err != nil {
		if call.Is(err, call.NotFound) {
			return nil, nil, &call.Error{Code: call.NotFound, Msg: "task " + sid + " not found", Err: err}
		}
		return nil, nil, err
	}
	if !t.Attributes.IsInternalCall() {
		return nil, nil, call.Errorf(call.NotFound, "task %s is not an internal call", sid)
	}
	return t, internalCall(t), nil
}

// maxStaleRetries bounds how often mutate re-reads a task that another
// writer changed in between.
const maxStaleRetries = 8

// mutate applies change to a task's latest revision, retrying when another
// writer got in between (call.Stale on If-Match). change edits the task in
// place and returns the update to send, or nil when nothing needs to change.
func (f *Flow) mutate(ctx context.Context, sid string, change func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate) (*call.Task, error) {
	for attempt := 0; ; attempt++ {
		t, ic, err := f.fetchInternal(ctx, sid)
		if err != nil {
			return nil, err
		}
		u := change(t, ic)
		if u == nil {
			return t, nil
		}
		u.IfMatch = t.ETag
		nt, err := f.tr.UpdateTask(ctx, sid, *u)
		if err == nil {
			return nt, nil
		}
		if !call.Is(err, call.Stale) {
			return nil, err
		}
		if attempt >= maxStaleRetries {
			return nil, &call.Error{Code: call.Conflict, Msg: "task " + sid + " keeps changing under us; try again", Err: err}
		}
	}
}

// attrs returns an update writing the task's (edited) attributes.
func attrs(t *call.Task) *call.TaskUpdate {
	return &call.TaskUpdate{Attributes: &t.Attributes}
}
