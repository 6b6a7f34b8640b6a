package admin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// facts are what doctor and setup read of the account, once per run. A read
// that failed keeps its error; the checks that need it say so.
type facts struct {
	settings Settings
	twilio   Twilio

	authName, keyName string
	authErr, keyErr   error
	keyChecked        bool

	workspaceName string
	workspaceErr  error
	workflows     []Workflow
	queues        []Queue
	taskRouterErr error

	flex    map[string]any
	flexErr error

	plugins pluginState
}

func gather(ctx context.Context, tw Twilio, s Settings) *facts {
	f := &facts{settings: s, twilio: tw}
	f.authName, f.authErr = tw.AuthToken.FetchAccountName(ctx)
	if tw.APIKey != nil {
		f.keyChecked = true
		f.keyName, f.keyErr = tw.APIKey.FetchAccountName(ctx)
	}
	f.workspaceName, f.workspaceErr = tw.Workspace.FetchWorkspace(ctx)
	if f.workspaceErr == nil {
		f.readTaskRouter(ctx, tw.Workspace)
	} else {
		f.taskRouterErr = f.workspaceErr
	}
	f.flex, f.flexErr = tw.Flex.FetchFlexConfiguration(ctx)
	f.plugins = readPlugins(ctx, tw.Plugins)
	return f
}

func (f *facts) readTaskRouter(ctx context.Context, ws Workspace) {
	if f.workflows, f.taskRouterErr = ws.ListWorkflows(ctx); f.taskRouterErr != nil {
		return
	}
	f.queues, f.taskRouterErr = ws.ListQueues(ctx)
}

func (f *facts) queue(sid string) (Queue, bool) {
	for _, q := range f.queues {
		if q.Sid == sid {
			return q, true
		}
	}
	return Queue{}, false
}

func (f *facts) queueNamed(name string) (Queue, bool) {
	for _, q := range f.queues {
		if q.Name == name {
			return q, true
		}
	}
	return Queue{}, false
}

func (f *facts) workflow(sid string) (Workflow, bool) {
	for _, w := range f.workflows {
		if w.Sid == sid {
			return w, true
		}
	}
	return Workflow{}, false
}

// isEveryone reports whether sid is a queue whose target workers are everyone.
func (f *facts) isEveryone(sid string) bool {
	q, ok := f.queue(sid)
	return ok && sameExpression(q.TargetWorkers, EveryoneTargetWorkers)
}

// everyoneQueue is the first queue whose target workers are everyone.
func (f *facts) everyoneQueue() (Queue, bool) {
	for _, q := range f.queues {
		if sameExpression(q.TargetWorkers, EveryoneTargetWorkers) {
			return q, true
		}
	}
	return Queue{}, false
}

// internalCallWorkflow finds the Internal Call workflow as the server does:
// TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID, or the one workflow named
// "Internal Call…". found is false with a reason when there is none to use.
func (f *facts) internalCallWorkflow() (w Workflow, found bool, problem string) {
	if sid := f.settings.WorkflowSid; sid != "" {
		if w, ok := f.workflow(sid); ok {
			return w, true, ""
		}
		return Workflow{}, false, fmt.Sprintf("TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID names %s, which is not a workflow of workspace %s", sid, f.settings.WorkspaceSid)
	}
	var named []Workflow
	for _, w := range f.workflows {
		if strings.HasPrefix(w.Name, WorkflowName) {
			named = append(named, w)
		}
	}
	switch len(named) {
	case 0:
		return Workflow{}, false, fmt.Sprintf("no workflow named %q… in workspace %s", WorkflowName, f.settings.WorkspaceSid)
	case 1:
		return named[0], true, ""
	}
	var names []string
	for _, w := range named {
		names = append(names, fmt.Sprintf("%q (%s)", w.Name, w.Sid))
	}
	return Workflow{}, false, "several workflows are named \"" + WorkflowName + "…\": " + strings.Join(names, ", ")
}

// probe is the answer of a GET on this server's public URL.
type probe struct {
	status int
	err    error
}

func get(ctx context.Context, c *http.Client, url string) probe {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return probe{err: err}
	}
	resp, err := c.Do(req)
	if err != nil {
		return probe{err: err}
	}
	resp.Body.Close()
	return probe{status: resp.StatusCode}
}
