package taskrouter

import (
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/expr"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type taskQueue struct {
	sid, name                string
	target                   string
	targetExpr               *expr.Expr
	resActivity, asgActivity string
	maxReserved              int
	order                    string
	created, updated         time.Time
}

// QueueFilter filters a task queue list (REST list parameters).
type QueueFilter struct {
	FriendlyName             string
	EvaluateWorkerAttributes string
	WorkerSid                string
	Ordering                 string
}

// CreateTaskQueue adds a queue. TargetWorkers must parse.
func (s *Service) CreateTaskQueue(wsSid string, p TaskQueueParams) (TaskQueue, error) {
	if strings.TrimSpace(p.FriendlyName) == "" {
		return TaskQueue{}, errInvalid("Missing required parameter FriendlyName")
	}
	if p.TargetWorkers == "" {
		p.TargetWorkers = "1==1"
	}
	if p.TaskOrder == "" {
		p.TaskOrder = "FIFO"
	}
	if p.MaxReservedWorkers == 0 {
		p.MaxReservedWorkers = 1
	}
	if err := checkQueueFields(p.TaskOrder, p.MaxReservedWorkers); err != nil {
		return TaskQueue{}, err
	}
	target, err := compileExpr(p.TargetWorkers)
	if err != nil {
		return TaskQueue{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return TaskQueue{}, err
	}
	if err := ws.checkActivities(p.ReservationActivitySid, p.AssignmentActivitySid); err != nil {
		return TaskQueue{}, err
	}
	if ws.queueByName(p.FriendlyName) != nil {
		return TaskQueue{}, errConflict("A TaskQueue with FriendlyName %q already exists", p.FriendlyName)
	}
	now := s.now()
	q := &taskQueue{sid: rest.NewSID("WQ"), name: p.FriendlyName, target: p.TargetWorkers, targetExpr: target,
		resActivity: p.ReservationActivitySid, asgActivity: p.AssignmentActivitySid,
		maxReserved: p.MaxReservedWorkers, order: p.TaskOrder, created: now, updated: now}
	ws.queues.add(q.sid, q)
	return s.queueView(ws, q), nil
}

func checkQueueFields(order string, maxReserved int) error {
	if order != "FIFO" && order != "LIFO" {
		return errInvalid("Invalid TaskOrder %q", order)
	}
	if maxReserved < 1 || maxReserved > 50 {
		return errInvalid("MaxReservedWorkers must be between 1 and 50")
	}
	return nil
}

func (ws *workspace) checkActivities(sids ...string) error {
	for _, a := range sids {
		if a == "" {
			continue
		}
		if _, ok := ws.activities.get(a); !ok {
			return errInvalid("Activity %s not found in workspace", a)
		}
	}
	return nil
}

// TaskQueue fetches a queue.
func (s *Service) TaskQueue(wsSid, sid string) (TaskQueue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, q, err := s.queue(wsSid, sid)
	if err != nil {
		return TaskQueue{}, err
	}
	return s.queueView(ws, q), nil
}

// TaskQueues lists a workspace's queues.
func (s *Service) TaskQueues(wsSid string) []TaskQueue {
	out, _ := s.ListTaskQueues(wsSid, QueueFilter{})
	return out
}

// ListTaskQueues lists queues matching f: EvaluateWorkerAttributes keeps the
// queues whose target_workers match those attributes, WorkerSid the queues
// that worker belongs to.
func (s *Service) ListTaskQueues(wsSid string, f QueueFilter) ([]TaskQueue, error) {
	var eval map[string]any
	if f.EvaluateWorkerAttributes != "" {
		var err error
		if eval, err = parseAttrs("EvaluateWorkerAttributes", f.EvaluateWorkerAttributes); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, err
	}
	if f.WorkerSid != "" {
		w, ok := ws.workers.get(f.WorkerSid)
		if !ok {
			return nil, errNotFound(ws.path() + "/Workers/" + f.WorkerSid)
		}
		eval = w.attrMap
	}
	out := []TaskQueue{}
	for _, q := range ws.queues.all() {
		if f.FriendlyName != "" && !strings.EqualFold(q.name, f.FriendlyName) {
			continue
		}
		if eval != nil && !holds(q.targetExpr, expr.WorkerScope(eval)) {
			continue
		}
		out = append(out, s.queueView(ws, q))
	}
	field, desc, _ := strings.Cut(f.Ordering, ":")
	if field == "DateUpdated" {
		sortStable(out, strings.EqualFold(desc, "desc"), func(a, b TaskQueue) bool { return a.DateUpdated < b.DateUpdated })
	}
	return out, nil
}

// UpdateTaskQueue changes a queue; routing runs again.
func (s *Service) UpdateTaskQueue(wsSid, sid string, u TaskQueueUpdate) (TaskQueue, error) {
	var target *expr.Expr
	if u.TargetWorkers != nil {
		var err error
		if target, err = compileExpr(*u.TargetWorkers); err != nil {
			return TaskQueue{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, q, err := s.queue(wsSid, sid)
	if err != nil {
		return TaskQueue{}, err
	}
	order, maxRes := q.order, q.maxReserved
	if u.TaskOrder != nil {
		order = *u.TaskOrder
	}
	if u.MaxReservedWorkers != nil {
		maxRes = *u.MaxReservedWorkers
	}
	if err := checkQueueFields(order, maxRes); err != nil {
		return TaskQueue{}, err
	}
	var res, asg string
	if u.ReservationActivitySid != nil {
		res = *u.ReservationActivitySid
	}
	if u.AssignmentActivitySid != nil {
		asg = *u.AssignmentActivitySid
	}
	if err := ws.checkActivities(res, asg); err != nil {
		return TaskQueue{}, err
	}
	if u.FriendlyName != nil {
		if strings.TrimSpace(*u.FriendlyName) == "" {
			return TaskQueue{}, errInvalid("FriendlyName must not be empty")
		}
		if o := ws.queueByName(*u.FriendlyName); o != nil && o != q {
			return TaskQueue{}, errConflict("A TaskQueue with FriendlyName %q already exists", *u.FriendlyName)
		}
		q.name = *u.FriendlyName
	}
	if u.TargetWorkers != nil {
		q.target, q.targetExpr = *u.TargetWorkers, target
	}
	if u.ReservationActivitySid != nil {
		q.resActivity = res
	}
	if u.AssignmentActivitySid != nil {
		q.asgActivity = asg
	}
	q.order, q.maxReserved, q.updated = order, maxRes, s.now()
	s.dispatch(ws)
	return s.queueView(ws, q), nil
}

// deleteTaskQueue refuses while a workflow routes to the queue or a task
// waits in it.
func (s *Service) deleteTaskQueue(wsSid, sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, q, err := s.queue(wsSid, sid)
	if err != nil {
		return err
	}
	for _, wf := range ws.workflows.all() {
		if wf.cfg.usesQueue(q.sid) {
			return errInvalid("TaskQueue %s is used by workflow %s", q.sid, wf.sid)
		}
	}
	for _, t := range ws.tasks.all() {
		if t.queue == q.sid && !t.final() {
			return errInvalid("TaskQueue %s has active tasks", q.sid)
		}
	}
	ws.queues.del(q.sid)
	return nil
}

func (s *Service) queue(wsSid, sid string) (*workspace, *taskQueue, error) {
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, nil, err
	}
	q, ok := ws.queues.get(sid)
	if !ok {
		return nil, nil, errNotFound(ws.path() + "/TaskQueues/" + sid)
	}
	return ws, q, nil
}

func (ws *workspace) queueByName(name string) *taskQueue {
	for _, q := range ws.queues.all() {
		if strings.EqualFold(q.name, name) {
			return q
		}
	}
	return nil
}

func (s *Service) queueView(ws *workspace, q *taskQueue) TaskQueue {
	u := ws.url() + "/TaskQueues/" + q.sid
	v := TaskQueue{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, Sid: q.sid, FriendlyName: q.name,
		TargetWorkers: q.target, TaskOrder: q.order, MaxReservedWorkers: q.maxReserved,
		ReservationActivitySid: optStr(q.resActivity), AssignmentActivitySid: optStr(q.asgActivity),
		DateCreated: ts(q.created), DateUpdated: ts(q.updated), URL: u,
		Links: map[string]string{
			"assignment_activity":       ws.url() + "/Activities/" + q.asgActivity,
			"reservation_activity":      ws.url() + "/Activities/" + q.resActivity,
			"workspace":                 ws.url(),
			"statistics":                u + "/Statistics",
			"real_time_statistics":      u + "/RealTimeStatistics",
			"cumulative_statistics":     u + "/CumulativeStatistics",
			"list_statistics":           ws.url() + "/TaskQueues/Statistics",
			"bulk_real_time_statistics": ws.url() + "/TaskQueues/RealTimeStatistics",
		},
	}
	if a, ok := ws.activities.get(q.resActivity); ok {
		v.ReservationActivityName = strp(a.name)
	}
	if a, ok := ws.activities.get(q.asgActivity); ok {
		v.AssignmentActivityName = strp(a.name)
	}
	return v
}
