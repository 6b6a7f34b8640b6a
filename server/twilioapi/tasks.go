package twilioapi

import (
	"time"

	"context"
	"fmt"
	"github.com/hashicorp/golang-lru/v2/expirable"

	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/call"
)

// TaskRouter is the Flex workspace's TaskRouter: tasks, reservations,
// workers, workflows and queues.
type TaskRouter struct {
	c  *Client
	ws string
	// contacts caches workers' contact_uri: every leg's TwiML checks the
	// address dialled against it, and it changes only when an admin edits a
	// worker.
	contacts *expirable.LRU[string, string]
}

// Worker contact_uri cache bounds.
const (
	contactCacheSize = 10000
	contactCacheTTL  = time.Minute
)

// TaskRouter returns the TaskRouter of one workspace.
func (c *Client) TaskRouter(workspaceSid string) *TaskRouter {
	return &TaskRouter{c: c, ws: workspaceSid, contacts: expirable.NewLRU[string, string](contactCacheSize, nil, contactCacheTTL)}
}

// WorkspaceSid is the workspace this TaskRouter acts in.
func (tr *TaskRouter) WorkspaceSid() string { return tr.ws }

// FetchTask fetches a task with its revision (ETag).
func (tr *TaskRouter) FetchTask(ctx context.Context, sid string) (*call.Task, error) {
	if err := checkSIDs("fetch task", call.PrefixWorkspace, tr.ws, call.PrefixTask, sid); err != nil {
		return nil, err
	}
	resp, err := tr.c.taskrouter(ctx).FetchTaskWithMetadata(tr.ws, sid)
	if err != nil {
		return nil, classify(err, "fetch task "+sid)
	}
	raw := resp.GetResource()
	t, err := toTask(&raw)
	if err != nil {
		return nil, err
	}
	t.ETag = resp.GetHeader("ETag")
	return t, nil
}

// UpdateTask applies u and returns the task as Twilio now has it. With
// u.IfMatch, a task changed in between is a call.Stale error.
func (tr *TaskRouter) UpdateTask(ctx context.Context, sid string, u call.TaskUpdate) (*call.Task, error) {
	if err := checkSIDs("update task", call.PrefixWorkspace, tr.ws, call.PrefixTask, sid); err != nil {
		return nil, err
	}
	p := &taskrouter.UpdateTaskParams{}
	if u.Attributes != nil {
		p.SetAttributes(u.Attributes.String())
	}
	if u.AssignmentStatus != "" {
		p.SetAssignmentStatus(u.AssignmentStatus)
	}
	if u.Reason != "" {
		p.SetReason(u.Reason)
	}
	if u.IfMatch != "" {
		p.SetIfMatch(u.IfMatch)
	}
	raw, err := tr.c.taskrouter(ctx).UpdateTask(tr.ws, sid, p)
	if err != nil {
		return nil, classify(err, "update task "+sid)
	}
	return toTask(raw)
}

// CreateTask creates a task on the voice channel.
func (tr *TaskRouter) CreateTask(ctx context.Context, n call.NewTask) (*call.Task, error) {
	if err := checkSIDs("create task", call.PrefixWorkspace, tr.ws, call.PrefixWorkflow, n.WorkflowSid); err != nil {
		return nil, err
	}
	p := &taskrouter.CreateTaskParams{}
	p.SetWorkflowSid(n.WorkflowSid)
	p.SetAttributes(n.Attributes.String())
	p.SetTaskChannel("voice")
	if n.Timeout > 0 {
		p.SetTimeout(int(n.Timeout.Seconds()))
	}
	raw, err := tr.c.taskrouter(ctx).CreateTask(tr.ws, p)
	if err != nil {
		return nil, classify(err, "create task")
	}
	return toTask(raw)
}

// FindTasks lists the tasks whose attributes match a TaskRouter expression.
func (tr *TaskRouter) FindTasks(ctx context.Context, expression string) ([]*call.Task, error) {
	p := &taskrouter.ListTaskParams{}
	p.SetEvaluateTaskAttributes(expression)
	p.SetLimit(20)
	return tr.listTasks(ctx, p)
}

// FindOpenTasks lists the open tasks whose attributes match the expression,
// oldest first (List Tasks with AssignmentStatus and Ordering).
func (tr *TaskRouter) FindOpenTasks(ctx context.Context, expression string, limit int) ([]*call.Task, error) {
	p := &taskrouter.ListTaskParams{}
	p.SetEvaluateTaskAttributes(expression)
	p.SetAssignmentStatus([]string{call.TaskPending, call.TaskReserved, call.TaskAssigned})
	p.SetOrdering("DateCreated:asc")
	p.SetPageSize(min(limit, 1000))
	p.SetLimit(limit)
	return tr.listTasks(ctx, p)
}

func (tr *TaskRouter) listTasks(ctx context.Context, p *taskrouter.ListTaskParams) ([]*call.Task, error) {
	if err := checkSIDs("list tasks", call.PrefixWorkspace, tr.ws); err != nil {
		return nil, err
	}
	raws, err := tr.c.taskrouter(ctx).ListTask(tr.ws, p)
	if err != nil {
		return nil, classify(err, "list tasks")
	}
	out := make([]*call.Task, 0, len(raws))
	for i := range raws {
		t, err := toTask(&raws[i])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func toTask(raw *taskrouter.TaskrouterV1Task) (*call.Task, error) {
	t := &call.Task{
		Sid:              deref(raw.Sid),
		AssignmentStatus: deref(raw.AssignmentStatus),
		Reason:           deref(raw.Reason),
		WorkflowSid:      deref(raw.WorkflowSid),
		TaskQueueSid:     deref(raw.TaskQueueSid),
		Created:          deref(raw.DateCreated),
	}
	a, err := call.ParseAttributes(deref(raw.Attributes))
	if err != nil {
		return nil, &call.Error{Code: call.Invalid, Msg: fmt.Sprintf("task %s: %v", t.Sid, err), Err: err}
	}
	t.Attributes = a
	return t, nil
}
