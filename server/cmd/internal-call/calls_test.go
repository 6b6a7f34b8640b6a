package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/flexapi"
)

// From an account nobody set up: setup, plugin deploy and doctor succeed,
// and then an agent call and a queue call connect through the server,
// routed by nothing but what setup made.
func TestFromABareAccountToConnectedCalls(t *testing.T) {
	t.Parallel()
	var backend atomic.Pointer[url.URL]
	front := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := backend.Load()
		if u == nil {
			http.Error(w, "not started", http.StatusServiceUnavailable)
			return
		}
		httputil.NewSingleHostReverseProxy(u).ServeHTTP(w, r)
	})
	a := newAccount(t, (*twiliosim.Sim).SeedBare, front, twiliosim.Options{MediaSpeed: 20, AnswerDelay: 50 * time.Millisecond})

	out := a.mustRun("setup", "--yes", "--queues", "Sales,Support", "--caller-id", callerID)
	if !strings.Contains(out, "FAIL         Server reachable") || !strings.Contains(out, "The account is set up. Before agents can call") {
		t.Fatalf("setup before the server runs:\n%s", out)
	}

	cfg, err := config.Load(func(k string) (string, bool) { v, ok := a.env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	srv, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{})
	if err != nil {
		t.Fatalf("the server does not start on what setup made: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	backend.Store(&url.URL{Scheme: "http", Host: srv.Addr().String()})

	if out := a.mustRun("plugin", "deploy"); !strings.Contains(out, "Nothing to change") {
		t.Errorf("plugin deploy after setup:\n%s", out)
	}
	if out := a.mustRun("doctor", "--queues", "Sales,Support"); !strings.Contains(out, "13 passed, 0 failed, 1 not checked.") {
		t.Errorf("doctor:\n%s", out)
	}

	flow, ok := a.sim.Flex.OutboundCallFlow()
	if !ok || !flow.Enabled {
		t.Fatalf("outbound call flow %+v", flow)
	}
	d := &desk{t: t, agents: a.twilio + "/agents", public: a.public.URL, client: a.public.Client(), flow: flow}
	alice, bob := d.login("alice"), d.login("bob")

	// An agent call: Alice calls Bob.
	callerTask := alice.call(call.Target{Kind: call.TargetAgent, ContactURI: bob.contact, Name: bob.full})
	res := bob.waitOffer()
	bob.answer(res)
	a.waitStatus(callerTask, call.StatusConnected)
	alice.act(callerTask, call.ActionHangup)
	a.waitStatus(callerTask, call.StatusEnded)
	alice.finish()
	bob.finish()

	// A queue call: Alice calls Sales, where Bob (not Alice) is offered it.
	callerTask = alice.call(call.Target{Kind: call.TargetQueue, QueueName: "Sales", Name: "Sales"})
	res = bob.waitOffer()
	bob.answer(res)
	a.waitStatus(callerTask, call.StatusConnected)
	bob.act(res.TaskSid, call.ActionHangup)
	a.waitStatus(callerTask, call.StatusEnded)
	alice.finish()
	bob.finish()
	if err := a.sim.Settle(15 * time.Second); err != nil {
		t.Fatal(err)
	}
}

func (a *account) waitStatus(taskSid string, want call.Status) {
	a.t.Helper()
	ok := waitfor.Until(15*time.Second, func() bool {
		tk, err := a.sim.TaskRouter.Task(a.sd.WorkspaceSid, taskSid)
		if err != nil {
			return false
		}
		var attrs call.Attributes
		if json.Unmarshal([]byte(tk.Attributes), &attrs) != nil {
			return false
		}
		return attrs.InternalCall != nil && attrs.InternalCall.Status == want
	})
	if !ok {
		a.t.Fatalf("task %s never %s", taskSid, want)
	}
}

// desk does, through the simulator's agent API, what the plugin does in an
// agent's Flex.
type desk struct {
	t      *testing.T
	agents string
	public string
	client *http.Client
	flow   flexapi.OutboundCallFlow
}

type agent struct {
	d                          *desk
	name, token, contact, full string
}

type reservation struct {
	Sid     string `json:"sid"`
	TaskSid string `json:"task_sid"`
	Status  string `json:"reservation_status"`
}

func (d *desk) do(c *http.Client, method, u, token string, in, out any, want int) {
	d.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, body)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set(call.FlexTokenHeader, token)
	}
	resp, err := c.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		d.t.Fatalf("%s %s: %d %s, want %d", method, u, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			d.t.Fatalf("%s %s: %v in %s", method, u, err, b)
		}
	}
}

func (d *desk) login(name string) *agent {
	var out struct {
		Token  string `json:"token"`
		Worker struct {
			ContactURI string `json:"contact_uri"`
			FullName   string `json:"full_name"`
		} `json:"worker"`
	}
	d.do(http.DefaultClient, http.MethodPost, d.agents+"/login", "", map[string]string{"worker": name}, &out, 200)
	return &agent{d: d, name: name, token: out.Token, contact: out.Worker.ContactURI, full: out.Worker.FullName}
}

type sdkTask struct {
	Sid              string          `json:"sid"`
	AssignmentStatus string          `json:"assignment_status"`
	Attributes       json.RawMessage `json:"attributes"`
}

func (ag *agent) me() (rs []reservation, ts []sdkTask) {
	var m struct {
		Reservations []reservation `json:"reservations"`
		Tasks        []sdkTask     `json:"tasks"`
	}
	ag.d.do(http.DefaultClient, http.MethodGet, ag.d.agents+"/me", ag.token, nil, &m, 200)
	return m.Reservations, m.Tasks
}

func (ag *agent) waitOffer() reservation {
	ag.d.t.Helper()
	var r reservation
	if !waitfor.Until(15*time.Second, func() bool {
		rs, _ := ag.me()
		for _, res := range rs {
			if res.Status == "pending" {
				r = res
				return true
			}
		}
		return false
	}) {
		ag.d.t.Fatalf("%s never offered a call", ag.name)
	}
	return r
}

// call creates the caller's task with outbound_call_flows.default, as the
// plugin does, and accepts it with the caller TwiML.
func (ag *agent) call(target call.Target) string {
	ag.d.t.Helper()
	attrs := call.CallerAttributes(call.Caller{ContactURI: ag.contact, Name: ag.full}, target)
	var out struct {
		TaskSid string `json:"task_sid"`
	}
	ag.d.do(http.DefaultClient, http.MethodPost, ag.d.agents+"/tasks", ag.token, map[string]any{
		"to": target.Address(), "from": ag.contact,
		"workflowSid": ag.d.flow.WorkflowSid, "taskQueueSid": ag.d.flow.QueueSid,
		"options": map[string]any{"taskChannelUniqueName": "voice", "attributes": json.RawMessage(attrs.String())},
	}, &out, 201)
	res := ag.waitOffer()
	if res.TaskSid != out.TaskSid {
		ag.d.t.Fatalf("caller offered %s, created %s", res.TaskSid, out.TaskSid)
	}
	ag.accept(res, call.CallerTwiMLURL(ag.d.public, out.TaskSid))
	return out.TaskSid
}

func (ag *agent) answer(res reservation) {
	ag.accept(res, call.CalleeTwiMLURL(ag.d.public, res.TaskSid, "", ""))
}

func (ag *agent) accept(res reservation, twimlURL string) {
	ag.d.do(http.DefaultClient, http.MethodPost, ag.d.agents+"/reservations/"+res.Sid+"/call", ag.token,
		map[string]any{"from": ag.contact, "url": twimlURL, "options": map[string]any{"accept": true}}, nil, 200)
}

// act posts a call action to the server, through PUBLIC_BASE_URL.
func (ag *agent) act(taskSid string, action call.CallAction) {
	ag.d.do(ag.d.client, http.MethodPost, call.CallActionURL(ag.d.public, taskSid, action), ag.token, nil, nil, 200)
}

// finish completes the agent's wrapping tasks, as after wrap-up.
func (ag *agent) finish() {
	ag.d.t.Helper()
	if !waitfor.Until(15*time.Second, func() bool {
		_, ts := ag.me()
		for _, tk := range ts {
			if tk.AssignmentStatus == "assigned" {
				return false
			}
		}
		return true
	}) {
		ag.d.t.Fatalf("%s's tasks never wrapped up", ag.name)
	}
	_, ts := ag.me()
	for _, tk := range ts {
		if tk.AssignmentStatus == "wrapping" {
			ag.d.do(http.DefaultClient, http.MethodPost, ag.d.agents+"/tasks/"+tk.Sid+"/complete", ag.token, map[string]any{}, nil, 200)
		}
	}
}
