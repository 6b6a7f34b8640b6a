package taskrouter

import (
	"math"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/expr"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type task struct {
	sid                      string
	attrs                    string
	attrMap                  map[string]any
	workflow, queue, channel string
	status                   string
	reason                   *string
	priority, timeout        int
	routingTarget            string
	ignoreCapacity           *bool
	fixedQueue               string // TaskQueueSid given at creation
	created, updated         time.Time
	queueEntered             *time.Time
	// born is the creation time on the real clock, which step timeouts run
	// on even when Config.Now is a fake.
	born time.Time
	// rev is the version the ETag header shows; every change bumps it.
	rev  int
	ttl  *time.Timer
	step *time.Timer // moves the task to the next workflow target
	// route is where the task is in its workflow: filter index (routeDefault,
	// routeDirect) and step index; gen invalidates older step timers.
	route struct{ filter, target, gen int }
	// rejected are workers who refused the task; they are not offered it again.
	rejected     map[string]bool
	reservations []*reservation
}

const defaultTaskTimeout = 86400

// CreateTask creates a task and routes it at once.
func (s *Service) CreateTask(wsSid string, p TaskParams) (Task, error) {
	if p.Attributes == "" {
		p.Attributes = "{}"
	}
	attrs, err := parseAttrs("Attributes", p.Attributes)
	if err != nil {
		return Task{}, err
	}
	if p.Timeout == 0 {
		p.Timeout = defaultTaskTimeout
	}
	if p.Timeout < 1 || p.Timeout > 1209600 {
		return Task{}, errInvalid("Timeout must be between 1 and 1209600")
	}
	if p.Priority != nil && (*p.Priority < 0 || *p.Priority > math.MaxInt32) {
		return Task{}, errInvalid("Priority must be between 0 and 2147483647")
	}
	if p.TaskChannel == "" {
		p.TaskChannel = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return Task{}, err
	}
	ch := ws.channel(p.TaskChannel)
	if ch == nil {
		return Task{}, errInvalid("TaskChannel %s not found in workspace", p.TaskChannel)
	}
	// queueSid, when set, is where the task goes without walking the
	// workflow: a queue RoutingTarget, the queue a worker-targeted task is
	// reported in, or TaskQueueSid given without a workflow. With a workflow,
	// a plain TaskQueueSid does not bypass its filters.
	wfSid, queueSid := p.WorkflowSid, ""
	switch {
	case p.RoutingTarget == "":
		if wfSid == "" {
			queueSid = p.TaskQueueSid
		}
	case strings.HasPrefix(p.RoutingTarget, "WK"):
		if _, ok := ws.workers.get(p.RoutingTarget); !ok {
			return Task{}, errInvalid("RoutingTarget worker %s not found", p.RoutingTarget)
		}
		queueSid = p.TaskQueueSid
	case strings.HasPrefix(p.RoutingTarget, "WQ"):
		queueSid = p.RoutingTarget
	case strings.HasPrefix(p.RoutingTarget, "WW"):
		wfSid = p.RoutingTarget
	default:
		return Task{}, errInvalid("RoutingTarget must be a Worker, TaskQueue or Workflow SID")
	}
	if p.IgnoreCapacity != nil && !strings.HasPrefix(p.RoutingTarget, "WK") {
		return Task{}, errInvalid("IgnoreCapacity requires a worker RoutingTarget")
	}
	for _, q := range []string{queueSid, p.TaskQueueSid} {
		if _, ok := ws.queues.get(q); q != "" && !ok {
			return Task{}, errInvalid("TaskQueue %s not found in workspace", q)
		}
	}
	if wfSid == "" && queueSid == "" {
		if ws.workflows.len() != 1 {
			return Task{}, errInvalid("Missing required parameter WorkflowSid")
		}
		wfSid = ws.workflows.all()[0].sid
	}
	if wfSid != "" {
		if _, ok := ws.workflows.get(wfSid); !ok {
			return Task{}, errInvalid("Workflow %s not found in workspace", wfSid)
		}
	}
	now := s.now()
	t := &task{sid: rest.NewSID("WT"), attrs: p.Attributes, attrMap: attrs, workflow: wfSid,
		channel: ch.sid, status: StatusPending, timeout: p.Timeout, routingTarget: p.RoutingTarget,
		ignoreCapacity: p.IgnoreCapacity, fixedQueue: queueSid, created: now, updated: now, rev: 1,
		born:     time.Now(),
		rejected: map[string]bool{}}
	if p.Priority != nil {
		t.priority = *p.Priority
	}
	s.enterWorkflow(ws, t)
	if t.queue == "" && !strings.HasPrefix(t.routingTarget, "WK") {
		s.stopStep(t)
		return Task{}, errInvalid("Task matched no filter of workflow %s, which has no default_filter", wfSid)
	}
	ws.tasks.add(t.sid, t)
	wsID, tSid := ws.sid, t.sid
	t.ttl = time.AfterFunc(time.Duration(p.Timeout)*time.Second, func() { s.taskTTL(wsID, tSid) })
	s.dispatch(ws)
	return s.taskView(ws, t), nil
}

// Task fetches a task; its ETag field carries the version.
func (s *Service) Task(wsSid, sid string) (Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, t, err := s.task(wsSid, sid)
	if err != nil {
		return Task{}, err
	}
	return s.taskView(ws, t), nil
}

// Tasks lists every task of a workspace in creation order.
func (s *Service) Tasks(wsSid string) []Task {
	out, _ := s.ListTasks(wsSid, TaskFilter{})
	return out
}

// ListTasks lists tasks matching f. EvaluateTaskAttributes is an expression
// over task attributes; Ordering is "Field:asc|desc[,…]" on DateCreated or
// Priority.
func (s *Service) ListTasks(wsSid string, f TaskFilter) ([]Task, error) {
	eval, err := compileExpr(f.EvaluateTaskAttributes)
	if err != nil {
		return nil, err
	}
	statuses := map[string]bool{}
	for _, st := range f.AssignmentStatus {
		for _, one := range strings.Split(st, ",") {
			if one = strings.TrimSpace(one); one != "" {
				statuses[one] = true
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, err
	}
	var matched []*task
	for _, t := range ws.tasks.all() {
		wf, _ := ws.workflows.get(t.workflow)
		q, _ := ws.queues.get(t.queue)
		switch {
		case len(statuses) > 0 && !statuses[t.status],
			f.WorkflowSid != "" && t.workflow != f.WorkflowSid,
			f.WorkflowName != "" && (wf == nil || !strings.EqualFold(wf.name, f.WorkflowName)),
			f.TaskQueueSid != "" && t.queue != f.TaskQueueSid,
			f.TaskQueueName != "" && (q == nil || !strings.EqualFold(q.name, f.TaskQueueName)),
			f.RoutingTarget != "" && t.routingTarget != f.RoutingTarget,
			eval != nil && !eval.Eval(expr.TaskScope(t.attrMap)):
			continue
		}
		matched = append(matched, t)
	}
	if f.Ordering != "" {
		keys := strings.Split(f.Ordering, ",")
		for i := len(keys) - 1; i >= 0; i-- { // stable sorts, last key first
			field, dir, _ := strings.Cut(strings.TrimSpace(keys[i]), ":")
			desc := strings.EqualFold(dir, "desc")
			switch field {
			case "DateCreated":
				sortStable(matched, desc, func(a, b *task) bool { return a.created.Before(b.created) })
			case "Priority":
				sortStable(matched, desc, func(a, b *task) bool { return a.priority < b.priority })
			default:
				return nil, errInvalid("Invalid Ordering %q", f.Ordering)
			}
		}
	}
	out := make([]Task, 0, len(matched))
	for _, t := range matched {
		out = append(out, s.taskView(ws, t))
	}
	return out, nil
}

// UpdateTask changes attributes, priority or assignment status. Allowed status
// changes are Twilio's: pending/reserved → canceled, assigned → wrapping,
// assigned/wrapping → completed.
func (s *Service) UpdateTask(wsSid, sid string, u TaskUpdate) (Task, error) {
	var attrs map[string]any
	if u.Attributes != nil {
		var err error
		if attrs, err = parseAttrs("Attributes", *u.Attributes); err != nil {
			return Task{}, err
		}
	}
	if u.Priority != nil && (*u.Priority < 0 || *u.Priority > math.MaxInt32) {
		return Task{}, errInvalid("Priority must be between 0 and 2147483647")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, t, err := s.task(wsSid, sid)
	if err != nil {
		return Task{}, err
	}
	if err := t.checkETag(u.IfMatch); err != nil {
		return Task{}, err
	}
	if u.AssignmentStatus != nil {
		if err := t.checkTransition(*u.AssignmentStatus); err != nil {
			return Task{}, err
		}
	}
	holders := t.holders()
	changed := false
	if u.Attributes != nil {
		t.attrs, t.attrMap, changed = *u.Attributes, attrs, true
	}
	if u.Priority != nil {
		t.priority, changed = *u.Priority, true
	}
	if u.Reason != nil {
		t.reason, changed = strp(*u.Reason), true
	}
	if changed {
		t.touch(s.now())
	}
	if u.AssignmentStatus != nil {
		s.setStatus(ws, t, *u.AssignmentStatus)
	} else if u.Attributes != nil && t.status == StatusPending {
		s.enterWorkflow(ws, t) // Twilio re-evaluates the workflow on new attributes
	}
	s.taskUpdated(ws, t, holders)
	s.dispatch(ws)
	return s.taskView(ws, t), nil
}

// WrapupTask moves an assigned task to wrapping.
func (s *Service) WrapupTask(wsSid, sid, reason string) (Task, error) {
	st := StatusWrapping
	return s.UpdateTask(wsSid, sid, TaskUpdate{AssignmentStatus: &st, Reason: optStr(reason)})
}

// CompleteTask completes an assigned or wrapping task.
func (s *Service) CompleteTask(wsSid, sid, reason string) (Task, error) {
	st := StatusCompleted
	return s.UpdateTask(wsSid, sid, TaskUpdate{AssignmentStatus: &st, Reason: optStr(reason)})
}

// DeleteTask removes a task; its open reservations are canceled. A non-empty
// ifMatch must equal the task's ETag.
func (s *Service) DeleteTask(wsSid, sid, ifMatch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, t, err := s.task(wsSid, sid)
	if err != nil {
		return err
	}
	if err := t.checkETag(ifMatch); err != nil {
		return err
	}
	s.stopTimers(t)
	for _, r := range t.reservations {
		if r.open() {
			s.endReservation(ws, r, ResCanceled, EventReservationCanceled)
		}
		ws.reservations.del(r.sid)
	}
	ws.tasks.del(t.sid)
	s.dispatch(ws)
	return nil
}

func (s *Service) task(wsSid, sid string) (*workspace, *task, error) {
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, nil, err
	}
	t, ok := ws.tasks.get(sid)
	if !ok {
		return nil, nil, errNotFound(ws.path() + "/Tasks/" + sid)
	}
	return ws, t, nil
}

func (s *Service) taskView(ws *workspace, t *task) Task {
	u := ws.url() + "/Tasks/" + t.sid
	v := Task{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, Sid: t.sid,
		Age: int(s.now().Sub(t.created) / time.Second), AssignmentStatus: t.status,
		Attributes: t.attrs, Addons: "{}", Priority: t.priority, Reason: t.reason, Timeout: t.timeout,
		RoutingTarget: optStr(t.routingTarget), IgnoreCapacity: t.ignoreCapacity,
		VirtualStartTime: ts(t.created), DateCreated: ts(t.created), DateUpdated: ts(t.updated),
		URL: u, ETag: t.etag(),
		Links: map[string]string{"reservations": u + "/Reservations", "workspace": ws.url()},
	}
	if c, ok := ws.channels.get(t.channel); ok {
		v.TaskChannelSid, v.TaskChannelUniqueName = c.sid, c.unique
	}
	if q, ok := ws.queues.get(t.queue); ok {
		v.TaskQueueSid, v.TaskQueueFriendlyName = strp(q.sid), strp(q.name)
		v.Links["task_queue"] = ws.url() + "/TaskQueues/" + q.sid
	}
	if t.queueEntered != nil {
		v.TaskQueueEnteredDate = strp(ts(*t.queueEntered))
	}
	if wf, ok := ws.workflows.get(t.workflow); ok {
		v.WorkflowSid, v.WorkflowFriendlyName = strp(wf.sid), strp(wf.name)
		v.Links["workflow"] = ws.url() + "/Workflows/" + wf.sid
	}
	return v
}
