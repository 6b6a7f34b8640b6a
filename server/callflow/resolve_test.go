package callflow

import (
	"context"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

const testWorkspace = "WS0123456789abcdef0123456789abcdef"

func TestResolveWorkflowConfigured(t *testing.T) {
	tw := callflowtest.New()
	tw.AddWorkflow("Internal Call", `{}`)
	chosen := tw.AddWorkflow("Assign to Anyone", `{}`) // the operator's choice wins over discovery
	got, err := ResolveWorkflow(context.Background(), tw, testWorkspace, chosen)
	if err != nil || got != chosen {
		t.Fatalf("ResolveWorkflow = %q, %v; want %s", got, err, chosen)
	}
	if n := tw.Count("ListWorkflows"); n != 0 {
		t.Errorf("%d ListWorkflows with a configured SID, want 0", n)
	}
	if n := tw.Count("FetchWorkflow"); n != 1 {
		t.Errorf("%d FetchWorkflow, want 1 (the configured SID is checked)", n)
	}
}

func TestResolveWorkflowConfiguredButMissing(t *testing.T) {
	tw := callflowtest.New()
	tw.AddWorkflow("Internal Call", `{}`)
	missing := callflowtest.MissingSID(call.PrefixWorkflow)
	got, err := ResolveWorkflow(context.Background(), tw, testWorkspace, missing)
	if err == nil {
		t.Fatalf("ResolveWorkflow = %q, want an error", got)
	}
	for _, want := range []string{"TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID", missing} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	expectCode(t, err, call.NotFound) // the cause stays inspectable
	if got != "" {
		t.Errorf("SID %q returned with the error", got)
	}
}

func TestResolveWorkflowWithoutAnInternalCallWorkflow(t *testing.T) {
	tw := callflowtest.New()
	tw.AddWorkflow("Assign to Anyone", `{}`)
	got, err := ResolveWorkflow(context.Background(), tw, testWorkspace, "")
	if err == nil {
		t.Fatalf("ResolveWorkflow = %q, want an error", got)
	}
	for _, want := range []string{"no workflow", "Internal Call", testWorkspace, "TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestResolveWorkflowDiscoversTheOne(t *testing.T) {
	tw := callflowtest.New()
	tw.AddWorkflow("Assign to Anyone", `{}`)
	want := tw.AddWorkflow("Internal Calls (v2)", `{}`)
	got, err := ResolveWorkflow(context.Background(), tw, testWorkspace, "")
	if err != nil || got != want {
		t.Fatalf("ResolveWorkflow = %q, %v; want %s", got, err, want)
	}
}

func TestResolveWorkflowWithSeveralCandidates(t *testing.T) {
	tw := callflowtest.New()
	a := tw.AddWorkflow("Internal Call", `{}`)
	tw.AddWorkflow("Assign to Anyone", `{}`)
	b := tw.AddWorkflow("Internal Call (old)", `{}`)
	got, err := ResolveWorkflow(context.Background(), tw, testWorkspace, "")
	if err == nil {
		t.Fatalf("ResolveWorkflow = %q, want an error", got)
	}
	msg := err.Error()
	for _, want := range []string{"Internal Call (" + a + ")", "Internal Call (old) (" + b + ")", "TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not list %q", msg, want)
		}
	}
	if strings.Contains(msg, "Assign to Anyone") {
		t.Errorf("error %q lists a workflow that is not a candidate", msg)
	}
}

func TestResolveWorkflowWhenListingFails(t *testing.T) {
	tw := callflowtest.New()
	tw.AddWorkflow("Internal Call", `{}`)
	tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "ListWorkflows" {
			return callflowtest.Fault(call.Unavailable)
		}
		return nil
	}
	_, err := ResolveWorkflow(context.Background(), tw, testWorkspace, "")
	if err == nil || !strings.Contains(err.Error(), testWorkspace) {
		t.Fatalf("error %v, want one naming the workspace", err)
	}
	expectCode(t, err, call.Unavailable)
}
