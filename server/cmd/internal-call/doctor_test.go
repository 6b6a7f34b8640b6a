package main

import (
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// sids and loopback ports change from run to run; the golden file has neither.
var (
	sidPattern  = regexp.MustCompile(`\b(AC|WS|WW|WQ|FP|FV|FJ|FK)[0-9a-f]{32}\b`)
	portPattern = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

func normalize(s string) string {
	s = sidPattern.ReplaceAllString(s, "${1}…")
	return portPattern.ReplaceAllString(s, "127.0.0.1:PORT")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name + ".golden"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("doctor's table differs from %s (go test -update rewrites it):\n%s", path, got)
	}
}

// On an account nobody set up, doctor fails every Internal Call check and
// names each fix; what it cannot see from here is "not checked", with why.
func TestDoctorOnABareAccount(t *testing.T) {
	t.Parallel()
	a := bare(t)
	a.env["PUBLIC_BASE_URL"] = strings.Replace(a.public.URL, "https://", "http://", 1)
	a.env["FLEX_ORIGINS"] = "https://flex.example.com"
	code, out, errs := a.run("", "doctor")
	if code != 1 || !strings.Contains(errs, "internal-call doctor: ") || !strings.Contains(errs, "check(s) failed") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	golden(t, "doctor_bare", normalize(out))

	code, out, _ = a.run("", "doctor", "--json")
	var report struct {
		OK     bool `json:"ok"`
		Failed int  `json:"failed"`
		Checks []struct {
			Name, Status, Detail, Fix string
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil || code != 1 || report.OK {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	statuses := map[string]string{}
	for _, c := range report.Checks {
		statuses[c.Name] = c.Status
		if c.Status == "FAIL" && c.Fix == "" {
			t.Errorf("%s fails without a fix", c.Name)
		}
	}
	for name, want := range map[string]string{
		"Auth token": "pass", "Flex workspace": "pass", "Internal Call workflow": "FAIL",
		"Agent filter": "not checked", "Outbound call flow": "FAIL", "Feature flags": "FAIL",
		"Flex plugin": "FAIL", "PUBLIC_BASE_URL": "FAIL", "FLEX_ORIGINS": "FAIL",
		"Twilio reaches PUBLIC_BASE_URL": "not checked",
	} {
		if statuses[name] != want {
			t.Errorf("%s: %s, want %s", name, statuses[name], want)
		}
	}
}

// Half set up: a workflow with the agent filter only, an outbound call flow
// without caller ID, no feature flags. Doctor tells each apart.
func TestDoctorOnAHalfConfiguredAccount(t *testing.T) {
	t.Parallel()
	a := bare(t)
	everyone := a.sd.EveryoneQueueSid
	if _, err := a.sim.TaskRouter.CreateWorkflow(a.sd.WorkspaceSid, taskrouter.WorkflowParams{FriendlyName: "Internal Call",
		Configuration: `{"task_routing":{"filters":[{"filter_friendly_name":"Agent","expression":"targetWorker != null",` +
			`"targets":[{"queue":"` + everyone + `","expression":"task.targetWorker==worker.contact_uri","priority":10}]}]}}`}); err != nil {
		t.Fatal(err)
	}
	cfg := a.sim.Flex.Configuration()
	if _, err := a.sim.Flex.UpdateConfiguration(map[string]any{"account_sid": cfg["account_sid"],
		"outbound_call_flows": map[string]any{"default": map[string]any{
			"workflow_sid": a.sd.AssignToAnyoneWorkflowSid, "queue_sid": everyone, "enabled": true}}}); err != nil {
		t.Fatal(err)
	}
	code, out, _ := a.run("", "doctor")
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{
		"pass         Internal Call workflow",
		"pass         Agent filter",
		"FAIL         Queue filters                   queue calls are on but no queue is callable",
		"FAIL         Outbound call flow              outbound_call_flows.default: caller_id is empty",
		"fix: internal-call setup --caller-id",
		"FAIL         Feature flags",
		"FAIL         Flex plugin                     no Flex plugin named \"internal-call\" is registered",
		"pass         Server reachable",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor lacks %q:\n%s", want, out)
		}
	}
}

// The seeded demo account with the plugin deployed passes every check, with
// the auth token and with an API key.
func TestDoctorOnAFullyConfiguredAccount(t *testing.T) {
	t.Parallel()
	a := newAccount(t, (*twiliosim.Sim).Seed, nil, twiliosim.Options{})
	a.mustRun("plugin", "deploy")
	out := a.mustRun("doctor")
	if strings.Contains(out, "FAIL") || !strings.Contains(out, "13 passed, 0 failed, 1 not checked.") ||
		!strings.Contains(out, "callable: Everyone, Sales, Support") {
		t.Errorf("doctor:\n%s", out)
	}
	a.env["TWILIO_API_KEY"], a.env["TWILIO_API_SECRET"] = apiKey, apiSecret
	if out := a.mustRun("doctor", "--queues", "Sales"); !strings.Contains(out, "TWILIO_API_KEY authenticates account") {
		t.Errorf("doctor with an API key:\n%s", out)
	}
	a.env["TWILIO_API_SECRET"] = "wrong"
	if code, out, _ := a.run("", "doctor"); code != 1 || !strings.Contains(out, "FAIL         API key") {
		t.Errorf("a refused API key: exit %d\n%s", code, out)
	}
}
