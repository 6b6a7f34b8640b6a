package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// snapshot is what setup may change in the account.
func (a *account) snapshot() string {
	a.t.Helper()
	_, wf := a.internalCallWorkflow()
	b, _ := json.Marshal(map[string]any{
		"workflow": wf, "queues": len(a.sim.TaskRouter.TaskQueues(a.sd.WorkspaceSid)),
		"flex": a.sim.Flex.Configuration()["outbound_call_flows"], "ui": a.sim.Flex.Configuration()["ui_attributes"],
		"plugins": a.sim.Flex.ReleasedPlugins(),
	})
	return string(b)
}

// Setup asks first; a second run finds nothing to change and says so.
func TestSetupTwiceTheSecondChangesNothing(t *testing.T) {
	t.Parallel()
	a := bare(t)
	before := a.snapshot()
	code, out, errs := a.run("no\n", "setup", "--queues", "all", "--caller-id", callerID)
	if code != 1 || !strings.Contains(out, "Apply these 3 change(s)? [y/N]") || !strings.Contains(errs, "not confirmed") || a.snapshot() != before {
		t.Fatalf("declined setup: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = a.run("y\n", "setup", "--queues", "all", "--caller-id", callerID)
	if code != 0 {
		t.Fatalf("setup: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		`create workflow "Internal Call":`,
		`add filter "Internal Call: agent" first: task.targetWorker == worker.contact_uri to queue "Everyone", priority 1000`,
		`add filter "Sales": callToQueue == 'Sales' to queue "Sales"`,
		"add outbound_call_flows.default: enabled",
		"set ui_attributes.custom_data.features.internal_call enabled: true",
		`register Flex plugin "internal-call"`,
		"13 passed, 0 failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("setup output lacks %q:\n%s", want, out)
		}
	}
	after := a.snapshot()
	out = a.mustRun("setup", "--queues", "all")
	if !strings.Contains(out, "Nothing to change: the account is already set up for Internal Call.") || strings.Contains(out, "Apply") {
		t.Errorf("second setup:\n%s", out)
	}
	if got := a.snapshot(); got != after {
		t.Errorf("the second setup changed the account:\nbefore %s\nafter  %s", after, got)
	}
}

type filterJSON = map[string]any

func filtersOf(t *testing.T, configuration string) []filterJSON {
	t.Helper()
	var c struct {
		TaskRouting struct {
			Filters []filterJSON `json:"filters"`
		} `json:"task_routing"`
	}
	if err := json.Unmarshal([]byte(configuration), &c); err != nil {
		t.Fatal(err)
	}
	return c.TaskRouting.Filters
}

// Filters setup does not own survive untouched and in their order; its own
// go first (agent) and after the last of its own (queues).
func TestSetupKeepsForeignFiltersInOrder(t *testing.T) {
	t.Parallel()
	a := bare(t)
	sales := a.sd.Queues["Sales"]
	foreign := `[{"filter_friendly_name":"VIP","expression":"vip == true","targets":[{"queue":"` + sales + `","priority":5,"timeout":30}]},` +
		`{"filter_friendly_name":"Spanish","expression":"language == 'es'","targets":[{"queue":"` + a.sd.Queues["Support"] + `","expression":"worker.language == 'es'"}],"custom":{"x":1}},` +
		`{"filter_friendly_name":"Sales","expression":"callToQueue == 'Sales'","targets":[{"queue":"` + sales + `","expression":"task.from != worker.contact_uri"}]}]`
	wf, err := a.sim.TaskRouter.CreateWorkflow(a.sd.WorkspaceSid, taskrouter.WorkflowParams{FriendlyName: "Internal Call routing",
		Configuration: `{"task_routing":{"filters":` + foreign + `,"default_filter":{"queue":"` + sales + `"}}}`})
	if err != nil {
		t.Fatal(err)
	}
	out := a.mustRun("setup", "--yes", "--queues", "Support", "--caller-id", callerID)
	if !strings.Contains(out, `update workflow "Internal Call routing"`) {
		t.Errorf("setup:\n%s", out)
	}
	got, err := a.sim.TaskRouter.Workflow(a.sd.WorkspaceSid, wf.Sid)
	if err != nil {
		t.Fatal(err)
	}
	var want []filterJSON
	_ = json.Unmarshal([]byte(foreign), &want)
	filters := filtersOf(t, got.Configuration)
	names := []string{}
	for _, f := range filters {
		names = append(names, f["filter_friendly_name"].(string))
	}
	if strings.Join(names, ",") != "Internal Call: agent,VIP,Spanish,Sales,Support" {
		t.Fatalf("filters %v", names)
	}
	if !reflect.DeepEqual(filters[1:4], want) {
		t.Errorf("foreign filters changed:\n got %v\nwant %v", filters[1:4], want)
	}
	if p := filters[0]["targets"].([]any)[0].(map[string]any)["priority"]; p != float64(1000) {
		t.Errorf("agent priority %v", p)
	}
	if !strings.Contains(got.Configuration, `"default_filter":{"queue":"`+sales+`"}`) {
		t.Errorf("default filter changed: %s", got.Configuration)
	}
}

// A queue whose name would end the expression's string is never made
// callable: named, setup refuses; with all, it is left out, saying why.
func TestSetupRefusesAQueueNameThatBreaksTheExpression(t *testing.T) {
	t.Parallel()
	a := bare(t)
	if _, err := a.sim.TaskRouter.CreateTaskQueue(a.sd.WorkspaceSid, taskrouter.TaskQueueParams{FriendlyName: "O'Brien team", TargetWorkers: "1==1"}); err != nil {
		t.Fatal(err)
	}
	before := a.snapshot()
	code, _, errs := a.run("", "setup", "--yes", "--queues", "Sales,O'Brien team", "--caller-id", callerID)
	if code != 1 || !strings.Contains(errs, `queue "O'Brien team"`) || !strings.Contains(errs, "rename it in TaskRouter") || a.snapshot() != before {
		t.Errorf("named: exit %d, %s", code, errs)
	}
	out := a.mustRun("setup", "--yes", "--queues", "all", "--caller-id", callerID)
	if !strings.Contains(out, `note: queue "O'Brien team"`) || strings.Contains(out, `callToQueue == 'O'Brien`) {
		t.Errorf("all:\n%s", out)
	}
}
