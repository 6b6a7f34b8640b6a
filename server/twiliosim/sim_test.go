package twiliosim_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	twilio "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	flex "github.com/twilio/twilio-go/rest/flex/v1"
	tr "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// mounted serves the simulator under /sim of a chi router, as the product does.
func mounted(t *testing.T, opts twiliosim.Options) (*twiliosim.Sim, *httptest.Server) {
	t.Helper()
	sim, err := twiliosim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	r := chi.NewRouter()
	r.Mount("/sim", sim.Handler())
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return sim, srv
}

func restClient(srv *httptest.Server, user, pass string) *twilio.RestClient {
	c := &client.Client{
		Credentials: client.NewCredentials(user, pass),
		HTTPClient:  &http.Client{Transport: twiliosim.Transport(srv.URL+"/sim", nil), Timeout: 10 * time.Second},
	}
	c.SetAccountSid(user)
	return twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
}

func TestSeedAndRESTThroughTwilioGo(t *testing.T) {
	sim, srv := mounted(t, twiliosim.Options{})
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Seed(); err == nil {
		t.Error("second Seed accepted")
	}
	creds := sim.Credentials()
	tw := restClient(srv, creds.AccountSid, creds.AuthToken)

	cfg, err := tw.FlexV1.FetchConfiguration(nil)
	if err != nil {
		t.Fatal(err)
	}
	flows := (*cfg.OutboundCallFlows).(map[string]any)["default"].(map[string]any)
	if flows["workflow_sid"] != sd.AssignToAnyoneWorkflowSid || flows["queue_sid"] != sd.EveryoneQueueSid ||
		flows["enabled"] != true || flows["caller_id"] != sd.CallerID || *cfg.TaskrouterWorkspaceSid != sd.WorkspaceSid {
		t.Errorf("outbound_call_flows: %v", flows)
	}
	if f, ok := sim.Flex.InternalCallFeature(); !ok || !f.Enabled || !f.EnableCallAgent || !f.EnableCallQueue {
		t.Errorf("feature switches: %+v", f)
	}

	ws, err := tw.TaskrouterV1.FetchWorkspace(sd.WorkspaceSid)
	if err != nil || *ws.FriendlyName != "Flex Task Assignment" || *ws.DefaultActivityName != "Offline" || *ws.TimeoutActivityName != "Offline" {
		t.Fatalf("workspace: %v", err)
	}
	acts, err := tw.TaskrouterV1.ListActivity(sd.WorkspaceSid, nil)
	if err != nil || len(acts) != 4 || len(sd.Activities) != 4 {
		t.Errorf("activities: %d %v", len(acts), err)
	}
	workers, err := tw.TaskrouterV1.ListWorker(sd.WorkspaceSid, nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]tr.TaskrouterV1Worker{}
	for _, w := range workers {
		byName[*w.FriendlyName] = w
	}
	if len(byName) != 5 || *byName["dave"].ActivityName != "Offline" || !*byName["alice"].Available {
		t.Errorf("workers: %d, dave %v", len(byName), *byName["dave"].ActivityName)
	}
	var carol map[string]any
	_ = json.Unmarshal([]byte(*byName["carol"].Attributes), &carol)
	if carol["full_name"] != "Carol Chen" || carol["contact_uri"] != "client:carol" {
		t.Errorf("carol: %v", carol)
	}
	var erin map[string]any
	_ = json.Unmarshal([]byte(*byName["erin"].Attributes), &erin)
	if _, has := erin["full_name"]; has {
		t.Errorf("erin has a full_name: %v", erin)
	}

	wf, err := tw.TaskrouterV1.FetchWorkflow(sd.WorkspaceSid, sd.InternalCallWorkflowSid)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(*wf.Configuration, "task.targetWorker==worker.contact_uri") ||
		!strings.Contains(*wf.Configuration, "callToQueue=='Support'") {
		t.Errorf("internal call workflow: %s", *wf.Configuration)
	}
	// Queue membership follows routing.skills.
	stats, err := tw.TaskrouterV1.ListTaskQueue(sd.WorkspaceSid, new(tr.ListTaskQueueParams).SetFriendlyName("Support"))
	if err != nil || len(stats) != 1 || *stats[0].Sid != sd.Queues["Support"] {
		t.Fatalf("Support queue: %v %v", stats, err)
	}

	// The contract check runs behind the mount: a bad parameter is refused.
	if _, err := tw.TaskrouterV1.CreateTask(sd.WorkspaceSid, new(tr.CreateTaskParams).SetWorkflowSid("WWshort")); err == nil {
		t.Error("a short WorkflowSid passed the contract")
	}
	// A configuration update goes through the contract with its JSON body.
	upd, err := tw.FlexV1.UpdateConfiguration(new(flex.UpdateConfigurationParams).SetBody(map[string]any{
		"account_sid": creds.AccountSid, "serverless_service_sids": []string{"ZS00000000000000000000000000000001"},
	}))
	if err != nil || len(*upd.ServerlessServiceSids) != 1 || upd.OutboundCallFlows == nil {
		t.Errorf("update configuration: %v", err)
	}
	if _, err := tw.FlexV1.CreatePlugin(new(flex.CreatePluginParams).SetUniqueName("internal-call")); err != nil {
		t.Error(err)
	}
	if err := sim.Check(); err != nil {
		t.Error(err)
	}
}

func TestRESTNeedsBasicAuth(t *testing.T) {
	sim, srv := mounted(t, twiliosim.Options{})
	if _, err := sim.Seed(); err != nil {
		t.Fatal(err)
	}
	tw := restClient(srv, sim.Credentials().AccountSid, "wrongtoken")
	_, err := tw.FlexV1.FetchConfiguration(nil)
	if err == nil || !strings.Contains(err.Error(), "20003") {
		t.Errorf("wrong token: %v", err)
	}
	for _, path := range []string{"/sim/taskrouter/v1/Workspaces", "/sim/flex-api/v1/Configuration",
		"/sim/api/2010-04-01/Accounts/" + sim.Credentials().AccountSid + "/Calls.json",
		"/sim/iam/v1/Accounts/" + sim.Credentials().AccountSid + "/Tokens/validate"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Code   int `json:"code"`
			Status int `json:"status"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 401 || e.Code != 20003 || e.Status != 401 {
			t.Errorf("%s: %d %+v", path, resp.StatusCode, e)
		}
	}
}

func TestPage(t *testing.T) {
	sim, srv := mounted(t, twiliosim.Options{ProductBaseURL: "http://product.example"})
	if _, err := sim.Seed(); err != nil {
		t.Fatal(err)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(srv.URL + "/sim")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "/sim/" {
		t.Errorf("/sim: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for path, want := range map[string]string{"/sim/": "<h1>Twilio simulator</h1>", "/sim/page.js": "AgentEvents.follow", "/sim/agents/events.js": "AgentEvents",
		"/sim/state": `"product_base_url":"http://product.example"`} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, want %q in %.300s", path, resp.StatusCode, want, b)
		}
	}
	// The browser asks the origin's /favicon.ico, which the simulator (mounted
	// under a prefix) does not answer, unless the page names its icon.
	if resp, err := http.Get(srv.URL + "/sim/"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `<link rel="icon" href="data:,">`) {
			t.Error("/sim/ names no icon: the browser asks /favicon.ico of the product and logs a 404")
		}
	}
	if resp, err := http.Get(srv.URL + "/sim/favicon.ico"); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Errorf("/sim/favicon.ico: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	st := sim.State()
	if len(st.Agents) != 5 || len(st.Queues) != 3 || st.Outbound == nil {
		t.Errorf("state: %+v", st)
	}
}

// TestAgentPlacesLeg runs the caller's side of a call against a stand-in
// product: the SDK's createTask, reservation.call, the simulated phone
// answering, the agent hanging up, and the invariant afterwards.
func TestAgentPlacesLeg(t *testing.T) {
	product := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, `<Response><Dial><Conference>room</Conference></Dial></Response>`)
	}))
	defer product.Close()
	sim, srv := mounted(t, twiliosim.Options{AnswerDelay: 5 * time.Millisecond, MediaSpeed: 50})
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	post := func(token, path string, body any, out any) int {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", srv.URL+"/sim/agents"+path, strings.NewReader(string(b)))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil {
			_ = json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode
	}
	var login struct{ Token string }
	post("", "/login", map[string]string{"worker": "alice"}, &login)
	events := streamEvents(t, srv.URL+"/sim/agents/events?token="+login.Token)
	var created struct {
		TaskSid string `json:"task_sid"`
	}
	if st := post(login.Token, "/tasks", map[string]any{"to": "client:bob", "from": "client:alice",
		"workflowSid": sd.AssignToAnyoneWorkflowSid, "taskQueueSid": sd.EveryoneQueueSid,
		"options": map[string]any{"taskChannelUniqueName": "voice", "attributes": map[string]any{"client_call": true}}}, &created); st != 201 {
		t.Fatalf("createTask: %d", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resSid := waitFor(ctx, t, func() string {
		rs, _ := sim.TaskRouter.TaskReservations(sd.WorkspaceSid, created.TaskSid)
		if len(rs) == 1 {
			return rs[0].Sid
		}
		return ""
	})
	if st := post(login.Token, "/reservations/"+resSid+"/call", map[string]any{"from": "client:alice",
		"url": product.URL + "/twiml/caller?taskSid=" + created.TaskSid, "options": map[string]any{"accept": true}}, nil); st != 200 {
		t.Fatalf("call: %d", st)
	}
	waitFor(ctx, t, func() string {
		for _, cf := range sim.Voice.Conferences() {
			if cf.FriendlyName == "room" && len(cf.Participants) == 1 {
				return cf.Sid
			}
		}
		return ""
	})
	if err := sim.Check(); err == nil || !strings.Contains(err.Error(), created.TaskSid) {
		t.Errorf("Check with a call up: %v", err)
	}
	if st := post(login.Token, "/hangup", map[string]any{}, nil); st != 200 {
		t.Fatalf("hangup: %d", st)
	}
	for _, step := range []string{"wrapup", "complete"} {
		if st := post(login.Token, "/tasks/"+created.TaskSid+"/"+step, nil, nil); st != 200 {
			t.Fatalf("%s: %d", step, st)
		}
	}
	if err := sim.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sim.Check(); err != nil {
		t.Error(err)
	}
	// Alice's page heard her reservation, her leg and her conference.
	for _, want := range []string{"reservation.created", "call-status", "participant-join", "conference-end", "reservation.completed"} {
		select {
		case <-events[want]:
		case <-ctx.Done():
			t.Errorf("no %s event", want)
		}
	}
}

// streamEvents reads an agent's event stream until the test ends; each event
// name gets a channel closed at its first occurrence.
func streamEvents(t *testing.T, url string) map[string]chan struct{} {
	t.Helper()
	names := []string{"ready", "reservation.created", "call-status", "participant-join", "conference-end", "reservation.completed"}
	seen := map[string]chan struct{}{}
	for _, n := range names {
		seen[n] = make(chan struct{})
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("events: %v", err)
	}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				if ch, want := seen[name]; want {
					select {
					case <-ch:
					default:
						close(ch)
					}
				}
			}
		}
	}()
	select {
	case <-seen["ready"]:
	case <-time.After(5 * time.Second):
		t.Fatal("event stream not ready")
	}
	return seen
}

func waitFor(ctx context.Context, t *testing.T, f func() string) string {
	t.Helper()
	for {
		if v := f(); v != "" {
			return v
		}
		select {
		case <-ctx.Done():
			t.Fatal("timed out")
		case <-time.After(5 * time.Millisecond):
		}
	}
}
