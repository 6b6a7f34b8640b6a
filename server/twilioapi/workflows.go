package twilioapi

import (
	"context"
	"strings"

	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/admin"
)

// WorkflowsNamed lists the workspace's workflows whose friendly name begins with prefix.
func (tr *TaskRouter) WorkflowsNamed(ctx context.Context, prefix string) ([]call.Workflow, error) {
	if err := checkSIDs("list workflows", call.PrefixWorkspace, tr.ws); err != nil {
		return nil, err
	}
	raws, err := tr.c.taskrouter(ctx).ListWorkflow(tr.ws, &taskrouter.ListWorkflowParams{})
	if err != nil {
		return nil, classify(err, "list workflows")
	}
	var out []call.Workflow
	for _, w := range raws {
		if strings.HasPrefix(deref(w.FriendlyName), prefix) {
			out = append(out, call.Workflow{Sid: deref(w.Sid), FriendlyName: deref(w.FriendlyName), Configuration: deref(w.Configuration)})
		}
	}
	return out, nil
}

// FetchWorkflow fetches one workflow.
func (tr *TaskRouter) FetchWorkflow(ctx context.Context, sid string) (*call.Workflow, error) {
	if err := checkSIDs("fetch workflow", call.PrefixWorkspace, tr.ws, call.PrefixWorkflow, sid); err != nil {
		return nil, err
	}
	w, err := tr.c.taskrouter(ctx).FetchWorkflow(tr.ws, sid)
	if err != nil {
		return nil, classify(err, "fetch workflow "+sid)
	}
	return &call.Workflow{Sid: deref(w.Sid), FriendlyName: deref(w.FriendlyName), Configuration: deref(w.Configuration)}, nil
}

// QueueName fetches a task queue's friendly name.
func (tr *TaskRouter) QueueName(ctx context.Context, sid string) (string, error) {
	if err := checkSIDs("fetch task queue", call.PrefixWorkspace, tr.ws, call.PrefixQueue, sid); err != nil {
		return "", err
	}
	q, err := tr.c.taskrouter(ctx).FetchTaskQueue(tr.ws, sid)
	if err != nil {
		return "", classify(err, "fetch task queue "+sid)
	}
	return deref(q.FriendlyName), nil
}

// FetchWorkspace checks that the workspace exists and returns its name.
func (tr *TaskRouter) FetchWorkspace(ctx context.Context) (string, error) {
	if err := checkSIDs("fetch workspace", call.PrefixWorkspace, tr.ws); err != nil {
		return "", err
	}
	w, err := tr.c.taskrouter(ctx).FetchWorkspace(tr.ws)
	if err != nil {
		return "", classify(err, "fetch workspace "+tr.ws)
	}
	return deref(w.FriendlyName), nil
}

// ListWorkflows lists the workspace's workflows.
func (tr *TaskRouter) ListWorkflows(ctx context.Context) ([]admin.Workflow, error) {
	if err := checkSIDs("list workflows", call.PrefixWorkspace, tr.ws); err != nil {
		return nil, err
	}
	raws, err := tr.c.taskrouter(ctx).ListWorkflow(tr.ws, &taskrouter.ListWorkflowParams{})
	if err != nil {
		return nil, classify(err, "list workflows")
	}
	out := make([]admin.Workflow, 0, len(raws))
	for _, w := range raws {
		out = append(out, admin.Workflow{Sid: deref(w.Sid), Name: deref(w.FriendlyName), Configuration: deref(w.Configuration)})
	}
	return out, nil
}

// ListQueues lists the workspace's task queues.
func (tr *TaskRouter) ListQueues(ctx context.Context) ([]admin.Queue, error) {
	if err := checkSIDs("list task queues", call.PrefixWorkspace, tr.ws); err != nil {
		return nil, err
	}
	raws, err := tr.c.taskrouter(ctx).ListTaskQueue(tr.ws, &taskrouter.ListTaskQueueParams{})
	if err != nil {
		return nil, classify(err, "list task queues")
	}
	out := make([]admin.Queue, 0, len(raws))
	for _, q := range raws {
		out = append(out, admin.Queue{Sid: deref(q.Sid), Name: deref(q.FriendlyName), TargetWorkers: deref(q.TargetWorkers)})
	}
	return out, nil
}

// CreateWorkflow creates a workflow.
func (tr *TaskRouter) CreateWorkflow(ctx context.Context, name, configuration string) (admin.Workflow, error) {
	if err := checkSIDs("create workflow", call.PrefixWorkspace, tr.ws); err != nil {
		return admin.Workflow{}, err
	}
	w, err := tr.c.taskrouter(ctx).CreateWorkflow(tr.ws, new(taskrouter.CreateWorkflowParams).
		SetFriendlyName(name).SetConfiguration(configuration))
	if err != nil {
		return admin.Workflow{}, classify(err, "create workflow "+name)
	}
	return admin.Workflow{Sid: deref(w.Sid), Name: deref(w.FriendlyName), Configuration: deref(w.Configuration)}, nil
}

// UpdateWorkflowConfiguration replaces a workflow's configuration.
func (tr *TaskRouter) UpdateWorkflowConfiguration(ctx context.Context, sid, configuration string) error {
	if err := checkSIDs("update workflow", call.PrefixWorkspace, tr.ws, call.PrefixWorkflow, sid); err != nil {
		return err
	}
	if _, err := tr.c.taskrouter(ctx).UpdateWorkflow(tr.ws, sid, new(taskrouter.UpdateWorkflowParams).
		SetConfiguration(configuration)); err != nil {
		return classify(err, "update workflow "+sid)
	}
	return nil
}

// CreateQueue creates a task queue.
func (tr *TaskRouter) CreateQueue(ctx context.Context, name, targetWorkers string) (admin.Queue, error) {
	if err := checkSIDs("create task queue", call.PrefixWorkspace, tr.ws); err != nil {
		return admin.Queue{}, err
	}
	q, err := tr.c.taskrouter(ctx).CreateTaskQueue(tr.ws, new(taskrouter.CreateTaskQueueParams).
		SetFriendlyName(name).SetTargetWorkers(targetWorkers))
	if err != nil {
		return admin.Queue{}, classify(err, "create task queue "+name)
	}
	return admin.Queue{Sid: deref(q.Sid), Name: deref(q.FriendlyName), TargetWorkers: deref(q.TargetWorkers)}, nil
}
