package callflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/flex-internal-call/internal-call/call"
)

// InternalCallWorkflowPrefix begins the friendly name of the workflow the
// server discovers when TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID is unset.
const InternalCallWorkflowPrefix = "Internal Call"

// Workflows is what resolving the Internal Call workflow needs of TaskRouter.
type Workflows interface {
	FetchWorkflow(ctx context.Context, sid string) (*call.Workflow, error)
	WorkflowsNamed(ctx context.Context, prefix string) ([]call.Workflow, error)
}

// ResolveWorkflow returns the configured workflow SID, or discovers the one
// workflow whose name begins with "Internal Call". None or several is an error
// that tells the operator what to do (call.Invalid); Twilio being unreachable
// is call.Unavailable, which waiting may cure.
func ResolveWorkflow(ctx context.Context, tr Workflows, workspaceSid, configured string) (string, error) {
	if configured != "" {
		if _, err := tr.FetchWorkflow(ctx, configured); err != nil {
			return "", fmt.Errorf("TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID %s: %w", configured, err)
		}
		return configured, nil
	}
	ws, err := tr.WorkflowsNamed(ctx, InternalCallWorkflowPrefix)
	if err != nil {
		return "", fmt.Errorf("listing workflows of %s: %w", workspaceSid, err)
	}
	switch len(ws) {
	case 0:
		return "", call.Errorf(call.Invalid, "no workflow named %q… in workspace %s: create it (see README) or set TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID", InternalCallWorkflowPrefix, workspaceSid)
	case 1:
		return ws[0].Sid, nil
	}
	var names []string
	for _, w := range ws {
		names = append(names, fmt.Sprintf("%s (%s)", w.FriendlyName, w.Sid))
	}
	return "", call.Errorf(call.Invalid, "several workflows are named %q…: %s; set TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID to the one to use", InternalCallWorkflowPrefix, strings.Join(names, ", "))
}
