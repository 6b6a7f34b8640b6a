package taskrouter

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	trapi "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

func TestWorkspaceDefaultsThroughTwilioGo(t *testing.T) {
	h := newHarness(t, Config{AccountSid: "AC0123456789abcdef0123456789abcdef"})
	ic := h.seedInternalCall()
	ws := must(h.api.FetchWorkspace(ic.ws))
	if *ws.DefaultActivityName != "Offline" || *ws.TimeoutActivityName != "Offline" || !*ws.MultiTaskEnabled ||
		*ws.AccountSid != "AC0123456789abcdef0123456789abcdef" || ws.DateCreated == nil || (*ws.Links)["workers"] == nil {
		t.Errorf("workspace = %+v", ws)
	}
	if list := must(h.api.ListWorkspace(new(trapi.ListWorkspaceParams).SetFriendlyName("Flex Task Assignment"))); len(list) != 1 {
		t.Errorf("workspaces = %d", len(list))
	}
	var names []string
	for _, c := range must(h.api.ListTaskChannel(ic.ws, nil)) {
		names = append(names, *c.UniqueName)
	}
	if strings.Join(names, ",") != "default,voice,chat,sms,video,email" {
		t.Errorf("task channels = %v", names)
	}
	if _, err := h.api.CreateTaskChannel(ic.ws, new(trapi.CreateTaskChannelParams).SetFriendlyName("Voice").SetUniqueName("voice")); restErr(t, err).Status != 409 {
		t.Error("duplicate unique name accepted")
	}
	custom := must(h.api.CreateTaskChannel(ic.ws, new(trapi.CreateTaskChannelParams).SetFriendlyName("Callback").SetUniqueName("callback")))
	if ch := must(h.api.FetchWorkerChannel(ic.ws, ic.bob, "callback")); *ch.TaskChannelSid != *custom.Sid || ch.ConfiguredCapacity != 1 {
		t.Errorf("new channel on bob = %+v", ch)
	}

	w := must(h.api.FetchWorker(ic.ws, ic.alice))
	if *w.ActivityName != "Available" || !*w.Available || !strings.Contains(*w.Attributes, "client:alice") ||
		!strings.HasPrefix(*w.Url, "https://taskrouter.twilio.com/v1/Workspaces/"+ic.ws+"/Workers/WK") {
		t.Errorf("worker = %+v", w)
	}
	q := must(h.api.FetchTaskQueue(ic.ws, ic.sales))
	if *q.TargetWorkers != "routing.skills HAS 'sales'" || q.MaxReservedWorkers != 1 || *q.TaskOrder != "FIFO" {
		t.Errorf("queue = %+v", q)
	}
	wf := must(h.api.FetchWorkflow(ic.ws, ic.workflow))
	if wf.TaskReservationTimeout != 5 || *wf.DocumentContentType != "application/json" || !strings.Contains(*wf.Configuration, "targetWorker") {
		t.Errorf("workflow = %+v", wf)
	}
}

func TestValidationErrors(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	check := func(what string, err error, status, code int) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: accepted", what)
			return
		}
		te := restErr(t, err)
		if te.Status != status || te.Code != code || te.MoreInfo == "" {
			t.Errorf("%s: %d/%d %q", what, te.Status, te.Code, te.Message)
		}
	}
	wf := func(conf string) error {
		_, err := h.api.CreateWorkflow(ic.ws, new(trapi.CreateWorkflowParams).SetFriendlyName("x").SetConfiguration(conf))
		return err
	}
	check("json", wf(`{"task_routing":`), 400, 20001)
	check("no task_routing", wf(`{}`), 400, 20001)
	check("filter expression", wf(`{"task_routing":{"filters":[{"expression":"a ==","targets":[{"queue":"`+ic.everyone+`"}]}]}}`), 400, 20001)
	check("target expression", wf(`{"task_routing":{"filters":[{"expression":"1==1","targets":[{"queue":"`+ic.everyone+`","expression":"task.x == "}]}]}}`), 400, 20001)
	check("unknown queue", wf(`{"task_routing":{"filters":[],"default_filter":{"queue":"WQ00000000000000000000000000000000"}}}`), 400, 20001)
	_, err := h.api.CreateWorkflow(ic.ws, new(trapi.CreateWorkflowParams).SetFriendlyName("Internal Call").
		SetConfiguration(`{"task_routing":{"filters":[],"default_filter":{"queue":"`+ic.everyone+`"}}}`))
	check("duplicate workflow", err, 409, 20409)

	_, err = h.api.CreateTaskQueue(ic.ws, new(trapi.CreateTaskQueueParams).SetFriendlyName("Bad").SetTargetWorkers("skills HAS"))
	check("queue expression", err, 400, 20001)
	_, err = h.api.CreateWorker(ic.ws, new(trapi.CreateWorkerParams).SetFriendlyName("x").SetAttributes("[1]"))
	check("worker attributes", err, 400, 20001)
	_, err = h.api.CreateWorker(ic.ws, new(trapi.CreateWorkerParams).SetFriendlyName("Bob"))
	check("duplicate worker", err, 409, 20409)
	_, err = h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).SetAttributes("nope"))
	check("task attributes", err, 400, 20001)
	_, err = h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).SetTaskChannel("fax"))
	check("task channel", err, 400, 20001)
	_, err = h.api.FetchTask(ic.ws, "WT00000000000000000000000000000000")
	check("missing task", err, 404, 20404)
	_, err = h.api.FetchWorkspace("WS00000000000000000000000000000000")
	check("missing workspace", err, 404, 20404)
}

func TestListFilters(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	names := func(ws []trapi.TaskrouterV1Worker) string {
		var out []string
		for _, w := range ws {
			out = append(out, *w.FriendlyName)
		}
		return strings.Join(out, ",")
	}
	if got := names(must(h.api.ListWorker(ic.ws, new(trapi.ListWorkerParams).SetTargetWorkersExpression(`contact_uri == "client:bob"`)))); got != "bob" {
		t.Errorf("TargetWorkersExpression: %s", got)
	}
	if got := names(must(h.api.ListWorker(ic.ws, new(trapi.ListWorkerParams).SetAvailable("true")))); got != "alice,bob,dave" {
		t.Errorf("Available: %s", got)
	}
	if got := names(must(h.api.ListWorker(ic.ws, new(trapi.ListWorkerParams).SetActivityName("Offline")))); got != "carol" {
		t.Errorf("ActivityName: %s", got)
	}
	if got := names(must(h.api.ListWorker(ic.ws, new(trapi.ListWorkerParams).SetTaskQueueName("Sales")))); got != "dave" {
		t.Errorf("TaskQueueName: %s", got)
	}
	if got := names(must(h.api.ListWorker(ic.ws, new(trapi.ListWorkerParams).SetFriendlyName("CAROL")))); got != "carol" {
		t.Errorf("FriendlyName: %s", got)
	}
	qs := must(h.api.ListTaskQueue(ic.ws, new(trapi.ListTaskQueueParams).SetWorkerSid(ic.dave)))
	if len(qs) != 2 {
		t.Errorf("dave's queues = %d", len(qs))
	}
	qs = must(h.api.ListTaskQueue(ic.ws, new(trapi.ListTaskQueueParams).SetEvaluateWorkerAttributes(`{"routing":{"skills":["support"]}}`)))
	if len(qs) != 1 || *qs[0].FriendlyName != "Everyone" {
		t.Errorf("EvaluateWorkerAttributes = %v", qs)
	}
	acts := must(h.api.ListActivity(ic.ws, new(trapi.ListActivityParams).SetAvailable("true")))
	if len(acts) != 1 || *acts[0].FriendlyName != "Available" {
		t.Errorf("available activities = %v", acts)
	}
}

// TestRawJSON checks what twilio-go cannot: null fields, dates and page meta.
func TestRawJSON(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:carol"})
	get := func(path string) map[string]any {
		t.Helper()
		resp, err := http.Get(h.srv.URL + "/taskrouter" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	tj := get("/v1/Workspaces/" + ic.ws + "/Tasks/" + *task.Sid)
	if _, ok := tj["reason"]; !ok || tj["reason"] != nil {
		t.Errorf("reason = %v", tj["reason"])
	}
	if tj["date_created"].(string)[10] != 'T' || !strings.HasSuffix(tj["date_created"].(string), "Z") {
		t.Errorf("date = %v", tj["date_created"])
	}
	page := get("/v1/Workspaces/" + ic.ws + "/Workers?PageSize=2")
	meta := page["meta"].(map[string]any)
	next, _ := url.Parse(meta["next_page_url"].(string))
	if meta["key"] != "workers" || len(page["workers"].([]any)) != 2 || next.Host != "taskrouter.twilio.com" ||
		next.Path != "/v1/Workspaces/"+ic.ws+"/Workers" {
		t.Errorf("meta = %v", meta)
	}
}

func TestUnsimulatedPathsAnswerTwilioErrors(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/v1/Workspaces/" + ic.ws + "/Statistics", 404},
		{"GET", "/v1/Workspaces/" + ic.ws + "/Events", 404},
	} {
		req, _ := http.NewRequest(c.method, h.srv.URL+"/taskrouter"+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Code, Status int }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != c.status || body.Status != c.status || body.Code == 0 {
			t.Errorf("%s %s: %d %+v", c.method, c.path, resp.StatusCode, body)
		}
	}
}
