package twilioapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/flex-internal-call/internal-call/call"
	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

// TaskRouter assignment statuses.
const (
	TaskPending   = "pending"
	TaskReserved  = "reserved"
	TaskAssigned  = "assigned"
	TaskWrapping  = "wrapping"
	TaskCompleted = "completed"
	TaskCanceled  = "canceled"
)

// Task is a TaskRouter task with its attributes decoded and its revision (ETag).
type Task struct {
	Sid              string
	AssignmentStatus string
	Reason           string
	WorkflowSid      string
	TaskQueueSid     string
	Attributes       call.Attributes
	// ETag is the task's revision; an update with it as If-Match fails with 412
	// when someone else changed the task in between.
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

func taskURL(ws, sid string) string {
	return "https://taskrouter.twilio.com/v1/Workspaces/" + url.PathEscape(ws) + "/Tasks/" + url.PathEscape(sid)
}

// FetchTask fetches a task with its ETag (twilio-go drops response headers, so
// this one call goes through its lower-level client).
func (c *Client) FetchTask(ws, sid string) (*Task, error) {
	resp, err := c.base.SendRequest(http.MethodGet, taskURL(ws, sid), nil, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var raw taskrouter.TaskrouterV1Task
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		return nil, fmt.Errorf("decoding task %s: %w", sid, err)
	}
	t, err := toTask(&raw)
	if err != nil {
		return nil, err
	}
	t.ETag = resp.Header.Get("ETag")
	return t, nil
}

// TaskUpdate is a change to a task; empty fields are left alone.
type TaskUpdate struct {
	Attributes       *call.Attributes
	AssignmentStatus string
	Reason           string
	// IfMatch makes the update conditional on the task's ETag.
	IfMatch string
}

// UpdateTask applies u and returns the task as Twilio now has it.
func (c *Client) UpdateTask(ws, sid string, u TaskUpdate) (*Task, error) {
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
	raw, err := c.Rest.TaskrouterV1.UpdateTask(ws, sid, p)
	if err != nil {
		return nil, err
	}
	return toTask(raw)
}

// CreateTask creates a task in a workflow.
func (c *Client) CreateTask(ws, workflowSid string, attrs call.Attributes, timeoutSeconds int) (*Task, error) {
	p := &taskrouter.CreateTaskParams{}
	p.SetWorkflowSid(workflowSid)
	p.SetAttributes(attrs.String())
	p.SetTaskChannel("voice")
	p.SetTimeout(timeoutSeconds)
	raw, err := c.Rest.TaskrouterV1.CreateTask(ws, p)
	if err != nil {
		return nil, err
	}
	return toTask(raw)
}

// FindTasks lists the tasks whose attributes match a TaskRouter expression.
func (c *Client) FindTasks(ws, expression string) ([]*Task, error) {
	p := &taskrouter.ListTaskParams{}
	p.SetEvaluateTaskAttributes(expression)
	p.SetLimit(20)
	raws, err := c.Rest.TaskrouterV1.ListTask(ws, p)
	if err != nil {
		return nil, err
	}
	out := make([]*Task, 0, len(raws))
	for i := range raws {
		t, err := toTask(&raws[i])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func toTask(raw *taskrouter.TaskrouterV1Task) (*Task, error) {
	t := &Task{
		Sid:              deref(raw.Sid),
		AssignmentStatus: deref(raw.AssignmentStatus),
		Reason:           deref(raw.Reason),
		WorkflowSid:      deref(raw.WorkflowSid),
		TaskQueueSid:     deref(raw.TaskQueueSid),
	}
	a, err := call.ParseAttributes(deref(raw.Attributes))
	if err != nil {
		return nil, fmt.Errorf("task %s: %w", t.Sid, err)
	}
	t.Attributes = a
	return t, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
