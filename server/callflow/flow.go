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
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/backoff"
)

// Settings configure a Flow.
type Settings struct {
	// WorkflowSid is the "Internal Call" workflow the callee task is created
	// in; empty until SetWorkflow when it could not be resolved at start-up.
	WorkflowSid   string
	PublicBaseURL string // where Twilio reaches this server
	RingTimeout   time.Duration
	// ClaimTTL is how long a replica's claim to create the callee task holds
	// before another replica may take over (default 20s).
	ClaimTTL time.Duration
	// CreateAttempts bounds the tries to create the callee task (default 4).
	CreateAttempts int
	// Retry spaces the tries to create the callee task (default 300ms doubling, at most 2s).
	Retry backoff.Policy
	// Sealer authenticates the call state the server writes into tasks (required).
	Sealer *Sealer
	// SweepGrace is how long past the ring timeout Sweep lets a call still
	// setting up or ringing go on (default DefaultSweepGrace).
	SweepGrace time.Duration
	// Observer, when set, hears of decisions the flow's writes do not show (observe.go).
	Observer Observer
	// ExternalNumbers are the numbers agents may add to a call (the whole
	// number must match); nil: none.
	ExternalNumbers *regexp.Regexp
	// CallerID reads the caller ID numbers are dialled from (the Flex
	// configuration's outbound_call_flows.default.caller_id).
	CallerID func(ctx context.Context) (string, error)
}

// Flow runs internal calls against Twilio.
type Flow struct {
	tr     TaskRouter
	voice  Voice
	clock  Clock
	seal   *Sealer
	s      Settings
	log    *slog.Logger
	queues queueCache

	workflow atomic.Pointer[string]
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
	if s.SweepGrace == 0 {
		s.SweepGrace = DefaultSweepGrace
	}
	if clock == nil {
		clock = WallClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if s.Sealer == nil {
		panic("callflow: Settings.Sealer is required")
	}
	f := &Flow{tr: tr, voice: voice, clock: clock, seal: s.Sealer, s: s, log: log}
	f.SetWorkflow(s.WorkflowSid)
	return f
}

// SetWorkflow sets the Internal Call workflow, once it is known.
func (f *Flow) SetWorkflow(sid string) { f.workflow.Store(&sid) }

// workflowSid is the Internal Call workflow, or an Unavailable error while
// the server has not been able to resolve it.
func (f *Flow) workflowSid() (string, error) {
	if p := f.workflow.Load(); p != nil && *p != "" {
		return *p, nil
	}
	return "", call.Errorf(call.Unavailable, "the Internal Call workflow is not resolved yet (Twilio was unreachable at start-up)")
}

// WallClock is the real time.
type WallClock struct{}

func (WallClock) Now() time.Time { return time.Now() }

func (WallClock) Sleep(ctx context.Context, d time.Duration) error { return backoff.Sleep(ctx, d) }

func (f *Flow) now() time.Time { return f.clock.Now() }

func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }

func (f *Flow) url(path string) string { return call.JoinURL(f.s.PublicBaseURL, path) }

// internalCall returns the task's internal_call state (fetchInternal has
// made it one the server can trust).
func internalCall(t *call.Task) *call.InternalCall { return t.Attributes.InternalCall }

// fetchInternal fetches a task of an internal call and decides how far its
// internal_call can be trusted — from the seal only, never from what the
// attributes claim:
//
//   - sealed by this server: trusted as it is;
//   - carrying a seal that does not hold (the attributes were changed outside
//     the server): refused, call.Forbidden;
//   - unsealed, outbound: a caller's task as the browser created it, before
//     the server wrote to it. Only the call request is kept (to, targetWorker,
//     callToQueue, names); any SIDs, status or claim it claims are dropped;
//   - unsealed otherwise: a callee's task the server created a moment ago, or
//     one an agent forged. It is trusted only when its caller's sealed record
//     names it back; until then, call.Forbidden.
func (f *Flow) fetchInternal(ctx context.Context, sid string) (*call.Task, *call.InternalCall, error) {
	t, err := f.fetchTask(ctx, sid)
	return f.trust(ctx, t, err, nil)
}

// trust is fetchInternal's decision on a task just fetched (fetchTask's
// result); an unsealed callee task may be vouched for from pre's read of
// its caller (nil: none).
func (f *Flow) trust(ctx context.Context, t *call.Task, err error, pre *prefetched) (*call.Task, *call.InternalCall, error) {
	if err != nil {
		return nil, nil, err
	}
	sid := t.Sid
	a := &t.Attributes
	switch {
	case a.InternalCall != nil && a.InternalCall.Seal != "":
		if !f.seal.Verify(t) {
			f.log.Warn("internal_call seal does not hold: attributes changed outside the server", "task_sid", sid)
			return nil, nil, call.Errorf(call.Forbidden, "task %s: the call's record was changed outside this server", sid)
		}
	case a.Direction == "outbound":
		peer := ""
		if a.InternalCall != nil {
			peer = a.InternalCall.PeerName
		}
		kind := call.TargetAgent
		if a.CallToQueue != "" || strings.HasPrefix(a.To, call.QueueURIPrefix) {
			kind = call.TargetQueue
		}
		a.InternalCall = &call.InternalCall{Role: call.RoleCaller, Target: kind, Status: call.StatusInitiated, PeerName: peer}
		delete(a.Extra, call.PartiesKey) // nobody was added to a call the server has not set up
	case a.InternalCall != nil && a.InternalCall.Role == call.RoleTarget:
		if err := f.vouchForTarget(ctx, t); err != nil {
			return nil, nil, err
		}
	default:
		if err := f.vouchForCallee(ctx, t, pre); err != nil {
			return nil, nil, err
		}
	}
	return t, a.InternalCall, nil
}

// callerOf returns the caller's record of the call a trusted task belongs
// to: the task itself for a caller, else the caller task it names, which must
// be sealed and name it back.
func (f *Flow) callerOf(ctx context.Context, t *call.Task, ic *call.InternalCall) (*call.Task, *call.InternalCall, error) {
	return f.callerOfFetched(ctx, t, ic, nil)
}

// callerOfFetched is callerOf taking the caller's task from pre when it read
// it. A read made beside the callee's may predate the record naming the
// callee (written just after the create): the record is then read again
// before the task is refused.
func (f *Flow) callerOfFetched(ctx context.Context, t *call.Task, ic *call.InternalCall, pre *prefetched) (*call.Task, *call.InternalCall, error) {
	if ic.Role == call.RoleCaller {
		return t, ic, nil
	}
	if pre != nil {
		fetched, err := pre.task(ctx, f, ic.CallerTaskSid)
		if caller, cic, err := f.trust(ctx, fetched, err, nil); err == nil && namesTask(caller, cic, t.Sid) {
			return caller, cic, nil
		}
	}
	fetched, err := f.fetchTask(ctx, ic.CallerTaskSid)
	caller, cic, err := f.trust(ctx, fetched, err, nil)
	if err != nil {
		if call.Is(err, call.NotFound) {
			return nil, nil, call.Errorf(call.Forbidden, "task %s is not a call this server set up", t.Sid)
		}
		return nil, nil, err
	}
	if !namesTask(caller, cic, t.Sid) {
		return nil, nil, call.Errorf(call.Forbidden, "task %s is not a call this server set up", t.Sid)
	}
	return caller, cic, nil
}

// namesCallee reports whether a caller's sealed record names the callee task.
func namesCallee(cic *call.InternalCall, calleeSid string) bool {
	return cic != nil && cic.Role == call.RoleCaller && cic.CalleeTaskSid == calleeSid && cic.Seal != ""
}

// fetchTask fetches a task that must be an internal call's.
func (f *Flow) fetchTask(ctx context.Context, sid string) (*call.Task, error) {
	t, err := f.tr.FetchTask(ctx, sid)
	if err != nil {
		if call.Is(err, call.NotFound) {
			return nil, &call.Error{Code: call.NotFound, Msg: "task " + sid + " not found", Err: err}
		}
		return nil, err
	}
	if !t.Attributes.IsInternalCall() {
		return nil, call.Errorf(call.NotFound, "task %s is not an internal call", sid)
	}
	return t, nil
}

// vouchForCallee accepts an unsealed callee task when the sealed record of
// the caller it names names it back: the server created it and has not yet
// sealed it. Right after the create, the caller's record may not name it yet
// (the next write does): that is waited for, briefly.
//
// The first read may come from pre (the caller's task read beside the
// callee's); it only ever vouches: a prefetched record that does not name
// the callee is read again before anything is refused.
func (f *Flow) vouchForCallee(ctx context.Context, t *call.Task, pre *prefetched) error {
	ic := t.Attributes.InternalCall
	notOurs := call.Errorf(call.Forbidden, "task %s is not a call this server set up", t.Sid)
	if ic == nil || ic.Role != call.RoleCallee || !call.ValidSID(call.PrefixTask, ic.CallerTaskSid) {
		return notOurs
	}
	if pre != nil {
		if caller, err := pre.task(ctx, f, ic.CallerTaskSid); err == nil && f.seal.Verify(caller) && namesCallee(caller.Attributes.InternalCall, t.Sid) {
			return nil
		}
	}
	for wait := 0; ; wait++ {
		caller, err := f.fetchTask(ctx, ic.CallerTaskSid)
		if err != nil {
			if call.Is(err, call.NotFound) {
				return notOurs
			}
			return err
		}
		cic := caller.Attributes.InternalCall
		if cic == nil || cic.Role != call.RoleCaller || !f.seal.Verify(caller) {
			return notOurs
		}
		switch {
		case cic.CalleeTaskSid == t.Sid:
			return nil
		case cic.CalleeTaskSid != "" || cic.Claim == nil || cic.Status.Final():
			return notOurs
		case wait >= len(linkWaits):
			return call.Errorf(call.Conflict, "the call of task %s is still being set up; try again", t.Sid)
		}
		if err := f.clock.Sleep(ctx, linkWaits[wait]); err != nil {
			return call.Errorf(call.Conflict, "the call of task %s is still being set up; try again", t.Sid)
		}
	}
}

// linkWaits space the re-reads of a caller's record that is about to name
// its new callee task (one write after the create).
var linkWaits = []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond}

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
		if u.Attributes != nil {
			f.seal.Seal(t)
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
