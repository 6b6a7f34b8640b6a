// Package callflowtest keeps Twilio in memory for the call flow's unit tests:
// a TaskRouter and a Voice API that behave as the real ones do where the flow
// depends on it (each behaviour cites the Twilio document it follows), a
// clock the test moves, and a hook that lets a test run something of its own
// in the middle of any Twilio call, to choose an interleaving instead of
// hoping a race happens.
package callflowtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/expr"
)

// Op names one Twilio call the flow makes, for hooks and the request log.
type Op struct {
	Name string // e.g. "FetchTask", "UpdateTask", "EndCall"
	Sid  string // the resource it is about ("" for creates and lists)
}

func (o Op) String() string { return o.Name + " " + o.Sid }

// Twilio is an in-memory TaskRouter workspace and Voice account.
type Twilio struct {
	// Hook, when set, runs before each Twilio call, outside the lock: it may
	// change the state (a concurrent writer, a callback arriving) or return an
	// error the call then fails with (a Twilio fault).
	Hook func(Op) error
	// Now, when set, stamps the tasks created (TaskRouter's date_created).
	Now func() time.Time

	mu           sync.Mutex
	seq          int
	tasks        map[string]*task
	reservations map[string][]*call.Reservation // by task SID
	workers      map[string]string              // worker SID → contact_uri
	workerAttrs  map[string]*workerState        // workers.go
	workflows    map[string]*call.Workflow
	queues       map[string]string // queue SID → friendly name
	conferences  map[string]*Conference
	calls        map[string]*Call
	added        []Added
	log          []Op
}

type task struct {
	t        call.Task
	revision int
}

// New returns an empty account.
func New() *Twilio {
	return &Twilio{
		tasks:        map[string]*task{},
		reservations: map[string][]*call.Reservation{},
		workers:      map[string]string{},
		workflows:    map[string]*call.Workflow{},
		queues:       map[string]string{},
		conferences:  map[string]*Conference{},
		calls:        map[string]*Call{},
	}
}

func (tw *Twilio) created() time.Time {
	if tw.Now == nil {
		return time.Time{}
	}
	return tw.Now()
}

// NewSID returns a fresh SID with the given prefix.
func (tw *Twilio) NewSID(prefix string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return tw.newSID(prefix)
}

func (tw *Twilio) newSID(prefix string) string {
	tw.seq++
	return fmt.Sprintf("%s%032x", prefix, tw.seq)
}

// Log returns the Twilio calls made so far, in order.
func (tw *Twilio) Log() []Op {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return append([]Op(nil), tw.log...)
}

// Count returns how many calls named name were made.
func (tw *Twilio) Count(name string) int {
	n := 0
	for _, o := range tw.Log() {
		if o.Name == name {
			n++
		}
	}
	return n
}

// enter logs op, runs the hook, and takes the lock (unless the hook failed).
func (tw *Twilio) enter(ctx context.Context, name, sid string) error {
	if err := ctx.Err(); err != nil {
		return &call.Error{Code: call.Unavailable, Msg: name + ": " + err.Error(), Err: err}
	}
	op := Op{Name: name, Sid: sid}
	tw.mu.Lock()
	tw.log = append(tw.log, op)
	hook := tw.Hook
	tw.mu.Unlock()
	if hook != nil {
		if err := hook(op); err != nil {
			return err
		}
	}
	tw.mu.Lock()
	return nil
}

// Fault is a Twilio failure a hook returns, e.g. Fault(call.Unavailable).
func Fault(code call.Code) error { return call.Errorf(code, "injected Twilio fault (%s)", code) }

func notFound(kind, sid string) error {
	return call.Errorf(call.NotFound, "%s %s not found (Twilio 404, code 20404)", kind, sid)
}

// clone copies a task so the caller's edits do not reach the store.
func clone(t call.Task) *call.Task {
	c := t
	c.Attributes, _ = call.ParseAttributes(t.Attributes.String())
	return &c
}

// AddTask stores a task as TaskRouter holds it (no hook, no log): the state a
// test starts from. It returns the task's SID.
func (tw *Twilio) AddTask(status string, a call.Attributes) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	sid := tw.newSID(call.PrefixTask)
	tw.tasks[sid] = &task{t: call.Task{Sid: sid, AssignmentStatus: status, Attributes: a, Created: tw.created()}, revision: 1}
	return sid
}

// Task returns a task's current state (nil when there is none).
func (tw *Twilio) Task(sid string) *call.Task {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	t, ok := tw.tasks[sid]
	if !ok {
		return nil
	}
	return clone(t.t)
}

// Tasks returns every task, in creation order.
func (tw *Twilio) Tasks() []*call.Task {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	out := make([]*call.Task, 0, len(tw.tasks))
	for i := 1; i <= tw.seq; i++ {
		if t, ok := tw.tasks[fmt.Sprintf("%s%032x", call.PrefixTask, i)]; ok {
			out = append(out, clone(t.t))
		}
	}
	return out
}

// SetTask changes a task behind the flow's back (another writer): it bumps
// the revision as TaskRouter does on every update.
func (tw *Twilio) SetTask(sid string, change func(t *call.Task)) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	t := tw.tasks[sid]
	change(&t.t)
	t.revision++
}

// FetchTask returns the task with its ETag, the revision TaskRouter bumps on
// every change (TaskRouter Task resource: the ETag header, If-Match).
func (tw *Twilio) FetchTask(ctx context.Context, sid string) (*call.Task, error) {
	if err := tw.enter(ctx, "FetchTask", sid); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	t, ok := tw.tasks[sid]
	if !ok {
		return nil, notFound("task", sid)
	}
	c := clone(t.t)
	c.ETag = strconv.Itoa(t.revision)
	return c, nil
}

// UpdateTask follows TaskRouter's Update Task: If-Match on a stale revision
// is 412; AssignmentStatus may become canceled from pending or reserved,
// wrapping from assigned, completed from assigned or wrapping (400 otherwise).
func (tw *Twilio) UpdateTask(ctx context.Context, sid string, u call.TaskUpdate) (*call.Task, error) {
	if err := tw.enter(ctx, "UpdateTask", sid); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	t, ok := tw.tasks[sid]
	if !ok {
		return nil, notFound("task", sid)
	}
	if u.IfMatch != "" && u.IfMatch != strconv.Itoa(t.revision) {
		return nil, call.Errorf(call.Stale, "task %s: If-Match %s, revision is %d (Twilio 412)", sid, u.IfMatch, t.revision)
	}
	if u.AssignmentStatus != "" {
		if !transitionAllowed(t.t.AssignmentStatus, u.AssignmentStatus) {
			return nil, call.Errorf(call.Refused, "task %s is %s, cannot become %s (Twilio 400)", sid, t.t.AssignmentStatus, u.AssignmentStatus)
		}
		t.t.AssignmentStatus = u.AssignmentStatus
		t.t.Reason = u.Reason
		if u.AssignmentStatus == call.TaskCanceled || u.AssignmentStatus == call.TaskWrapping {
			tw.closeReservations(sid, u.AssignmentStatus)
		}
	}
	if u.Attributes != nil {
		t.t.Attributes, _ = call.ParseAttributes(u.Attributes.String())
	}
	t.revision++
	c := clone(t.t)
	c.ETag = strconv.Itoa(t.revision)
	return c, nil
}

func transitionAllowed(from, to string) bool {
	switch to {
	case call.TaskCanceled:
		return from == call.TaskPending || from == call.TaskReserved
	case call.TaskWrapping:
		return from == call.TaskAssigned
	case call.TaskCompleted:
		return from == call.TaskAssigned || from == call.TaskWrapping
	}
	return false
}

// closeReservations ends a task's live reservations as TaskRouter does when
// the task is canceled (pending ones: canceled) or wraps up (accepted ones: wrapping).
func (tw *Twilio) closeReservations(taskSid, to string) {
	for _, r := range tw.reservations[taskSid] {
		switch {
		case to == call.TaskCanceled && r.Status == call.ReservationPending:
			r.Status = call.ReservationCanceled
		case to == call.TaskWrapping && r.Status == call.ReservationAccepted:
			r.Status = call.ReservationWrapping
		}
	}
}

// CreateTask creates a pending task (TaskRouter Create Task).
func (tw *Twilio) CreateTask(ctx context.Context, n call.NewTask) (*call.Task, error) {
	if err := tw.enter(ctx, "CreateTask", ""); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	if _, ok := tw.workflows[n.WorkflowSid]; !ok {
		return nil, call.Errorf(call.Refused, "workflow %s not found in the workspace (Twilio 400)", n.WorkflowSid)
	}
	sid := tw.newSID(call.PrefixTask)
	a, _ := call.ParseAttributes(n.Attributes.String())
	tw.tasks[sid] = &task{t: call.Task{Sid: sid, AssignmentStatus: call.TaskPending, WorkflowSid: n.WorkflowSid, Attributes: a, Created: tw.created()}, revision: 1}
	c := clone(tw.tasks[sid].t)
	c.ETag = "1"
	return c, nil
}

// FindTasks evaluates the expression as TaskRouter's EvaluateTaskAttributes
// does, with the simulator's implementation of the expression language.
func (tw *Twilio) FindTasks(ctx context.Context, expression string) ([]*call.Task, error) {
	if err := tw.enter(ctx, "FindTasks", ""); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	var out []*call.Task
	for i := 1; i <= tw.seq; i++ {
		t, ok := tw.tasks[fmt.Sprintf("%s%032x", call.PrefixTask, i)]
		if !ok {
			continue
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(t.t.Attributes.String()), &m)
		match, err := expr.Match(expression, expr.TaskScope(m))
		if err != nil {
			return nil, call.Errorf(call.Refused, "EvaluateTaskAttributes: %v (Twilio 400)", err)
		}
		if match {
			out = append(out, clone(t.t))
		}
	}
	return out, nil
}

// FindOpenTasks is FindTasks of the pending, reserved and assigned tasks,
// oldest first (the order they were created in), at most limit.
func (tw *Twilio) FindOpenTasks(ctx context.Context, expression string, limit int) ([]*call.Task, error) {
	all, err := tw.FindTasks(ctx, expression)
	if err != nil {
		return nil, err
	}
	var out []*call.Task
	for _, t := range all {
		if t.Open() && len(out) < limit {
			out = append(out, t)
		}
	}
	return out, nil
}

// AddWorker adds a worker with its contact_uri and returns its SID.
func (tw *Twilio) AddWorker(contactURI string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	sid := tw.newSID(call.PrefixWorker)
	tw.workers[sid] = contactURI
	return sid
}

// Reserve offers a task to a worker: a pending reservation, the task reserved.
func (tw *Twilio) Reserve(taskSid, workerSid string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	sid := tw.newSID(call.PrefixReservation)
	tw.reservations[taskSid] = append(tw.reservations[taskSid], &call.Reservation{Sid: sid, WorkerSid: workerSid, Status: call.ReservationPending})
	t := tw.tasks[taskSid]
	t.t.AssignmentStatus = call.TaskReserved
	t.revision++
	return sid
}

// Accept accepts a reservation: the task is assigned.
func (tw *Twilio) Accept(taskSid, reservationSid string) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	for _, r := range tw.reservations[taskSid] {
		if r.Sid == reservationSid {
			r.Status = call.ReservationAccepted
		}
	}
	t := tw.tasks[taskSid]
	t.t.AssignmentStatus = call.TaskAssigned
	t.revision++
}

// Reservation returns a reservation's status ("" when there is none).
func (tw *Twilio) Reservation(taskSid, reservationSid string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	for _, r := range tw.reservations[taskSid] {
		if r.Sid == reservationSid {
			return r.Status
		}
	}
	return ""
}

// TaskReservations lists a task's reservations (List Task Reservations, WorkerSid filter).
func (tw *Twilio) TaskReservations(ctx context.Context, taskSid, workerSid string) ([]call.Reservation, error) {
	if err := tw.enter(ctx, "TaskReservations", taskSid); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	if _, ok := tw.tasks[taskSid]; !ok {
		return nil, notFound("task", taskSid)
	}
	var out []call.Reservation
	for _, r := range tw.reservations[taskSid] {
		if workerSid == "" || r.WorkerSid == workerSid {
			out = append(out, *r)
		}
	}
	return out, nil
}

// RejectReservation rejects a pending reservation; the task goes back to
// pending to be routed on (Update Reservation, ReservationStatus=rejected).
func (tw *Twilio) RejectReservation(ctx context.Context, taskSid, reservationSid string) error {
	if err := tw.enter(ctx, "RejectReservation", reservationSid); err != nil {
		return err
	}
	defer tw.mu.Unlock()
	for _, r := range tw.reservations[taskSid] {
		if r.Sid == reservationSid {
			if r.Status != call.ReservationPending {
				return call.Errorf(call.Refused, "reservation %s is %s, not pending (Twilio 400)", reservationSid, r.Status)
			}
			r.Status = "rejected"
			t := tw.tasks[taskSid]
			t.t.AssignmentStatus = call.TaskPending
			t.revision++
			return nil
		}
	}
	return notFound("reservation", reservationSid)
}

// WorkerContactURI returns a worker's contact_uri attribute.
func (tw *Twilio) WorkerContactURI(ctx context.Context, workerSid string) (string, error) {
	if err := tw.enter(ctx, "FetchWorker", workerSid); err != nil {
		return "", err
	}
	defer tw.mu.Unlock()
	uri, ok := tw.workers[workerSid]
	if !ok {
		return "", notFound("worker", workerSid)
	}
	return uri, nil
}

// AddWorkflow adds a workflow with its configuration JSON and returns its SID.
func (tw *Twilio) AddWorkflow(name, configuration string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	sid := tw.newSID(call.PrefixWorkflow)
	tw.workflows[sid] = &call.Workflow{Sid: sid, FriendlyName: name, Configuration: configuration}
	return sid
}

// AddQueue adds a task queue and returns its SID.
func (tw *Twilio) AddQueue(name string) string {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	sid := tw.newSID(call.PrefixQueue)
	tw.queues[sid] = name
	return sid
}

// FetchWorkflow returns a workflow.
func (tw *Twilio) FetchWorkflow(ctx context.Context, sid string) (*call.Workflow, error) {
	if err := tw.enter(ctx, "FetchWorkflow", sid); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	w, ok := tw.workflows[sid]
	if !ok {
		return nil, notFound("workflow", sid)
	}
	c := *w
	return &c, nil
}

// WorkflowsNamed lists the workflows whose friendly name begins with prefix.
func (tw *Twilio) WorkflowsNamed(ctx context.Context, prefix string) ([]call.Workflow, error) {
	if err := tw.enter(ctx, "ListWorkflows", ""); err != nil {
		return nil, err
	}
	defer tw.mu.Unlock()
	var out []call.Workflow
	for i := 1; i <= tw.seq; i++ {
		if w, ok := tw.workflows[fmt.Sprintf("%s%032x", call.PrefixWorkflow, i)]; ok && len(w.FriendlyName) >= len(prefix) && w.FriendlyName[:len(prefix)] == prefix {
			out = append(out, *w)
		}
	}
	return out, nil
}

// QueueName returns a task queue's friendly name.
func (tw *Twilio) QueueName(ctx context.Context, sid string) (string, error) {
	if err := tw.enter(ctx, "FetchTaskQueue", sid); err != nil {
		return "", err
	}
	defer tw.mu.Unlock()
	n, ok := tw.queues[sid]
	if !ok {
		return "", notFound("task queue", sid)
	}
	return n, nil
}

// Clock is a clock the test moves: Sleep advances it at once, so retries
// and timeouts run in no time and in a chosen order.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

// NewClock starts a clock at a fixed moment.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleep advances the clock by d (or fails when ctx is done).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

// Slept lists the sleeps so far.
func (c *Clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}
