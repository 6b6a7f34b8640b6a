package twilioapi

import (
	"strings"

	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

// Workflow is a TaskRouter workflow with its raw configuration JSON.
type Workflow struct {
	Sid           string
	FriendlyName  string
	Configuration string
}

// WorkflowsNamed lists the workspace's workflows whose friendly name begins with prefix.
func (c *Client) WorkflowsNamed(ws, prefix string) ([]Workflow, error) {
	raws, err := c.Rest.TaskrouterV1.ListWorkflow(ws, &taskrouter.ListWorkflowParams{})
	if err != nil {
		return nil, err
	}
	var out []Workflow
	for _, w := range raws {
		if strings.HasPrefix(deref(w.FriendlyName), prefix) {
			out = append(out, Workflow{Sid: deref(w.Sid), FriendlyName: deref(w.FriendlyName), Configuration: deref(w.Configuration)})
		}
	}
	return out, nil
}

// FetchWorkflow fetches one workflow.
func (c *Client) FetchWorkflow(ws, sid string) (*Workflow, error) {
	w, err := c.Rest.TaskrouterV1.FetchWorkflow(ws, sid)
	if err != nil {
		return nil, err
	}
	return &Workflow{Sid: deref(w.Sid), FriendlyName: deref(w.FriendlyName), Configuration: deref(w.Configuration)}, nil
}

// QueueName fetches a task queue's friendly name.
func (c *Client) QueueName(ws, sid string) (string, error) {
	q, err := c.Rest.TaskrouterV1.FetchTaskQueue(ws, sid)
	if err != nil {
		return "", err
	}
	return deref(q.FriendlyName), nil
}

// FetchWorkspace checks that the workspace exists and returns its name.
func (c *Client) FetchWorkspace(ws string) (string, error) {
	w, err := c.Rest.TaskrouterV1.FetchWorkspace(ws)
	if err != nil {
		return "", err
	}
	return deref(w.FriendlyName), nil
}
