package twilioapi

import (
	"context"
	"strings"

	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/call"
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
