package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/demo/demotest"
	"github.com/flex-internal-call/internal-call/server/twiliosim"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
)

// product is the whole server running on the simulator over loopback HTTP:
// twilio-go against the simulated REST APIs, signed webhooks back.
type product struct {
	t   *testing.T
	url string
	// twilio is the simulated Twilio's REST base URL (what TWILIO_API_BASE_URL would be).
	twilio string
	// agents is the simulator's agent API (where simulated browsers talk).
	agents string
	sim    *twiliosim.Sim
	sd     twiliosim.Seeded
	// metrics is the metrics listener's base URL ("" when it is off).
	metrics string
}

const ringTimeout = 4 * time.Second

func startProduct(t *testing.T, opts twiliosim.Options) *product {
	t.Helper()
	return startDemo(t, demotest.Options{Sim: opts})
}

// startDemo is startProduct with the rest of the demo's options.
func startDemo(t *testing.T, o demotest.Options) *product {
	t.Helper()
	opts := o.Sim
	// Each test has its own server and simulator on its own port; they mostly
	// wait on timers, so they run side by side.
	t.Parallel()
	if opts.MediaSpeed == 0 {
		opts.MediaSpeed = 20
	}
	if opts.AnswerDelay == 0 {
		opts.AnswerDelay = 50 * time.Millisecond
	}
	o.Sim, o.RingTimeout = opts, ringTimeout
	d, _ := demotest.Start(t, o)
	p := &product{t: t, url: d.URL, twilio: d.TwilioURL, agents: d.URL + "/sim/agents", sim: d.Sim, sd: d.Seeded}
	if a := d.MetricsAddr(); a != nil {
		p.metrics = "http://" + a.String()
	}
	return p
}

// settled waits until the simulator is quiet and checks the invariant every
// flow must leave behind: no task pending, reserved or assigned, no
// conference in progress, no TwiML error.
func (p *product) settled() {
	p.t.Helper()
	if err := p.sim.Settle(15 * time.Second); err != nil {
		p.t.Fatalf("simulator not settled: %v", err)
	}
}

// agent drives a simulated agent through the simulator's agent API, doing
// what the browser bridge does in Flex.
type agent struct {
	p       *product
	name    string
	token   string
	sid     string
	contact string
	full    string
}

func (p *product) login(name string) *agent {
	p.t.Helper()
	var out struct {
		Token  string `json:"token"`
		Worker struct {
			Sid        string `json:"sid"`
			ContactURI string `json:"contact_uri"`
			FullName   string `json:"full_name"`
		} `json:"worker"`
	}
	p.do(http.MethodPost, p.agents+"/login", "", map[string]string{"worker": name}, &out, 200)
	return &agent{p: p, name: name, token: out.Token, sid: out.Worker.Sid, contact: out.Worker.ContactURI, full: out.Worker.FullName}
}

// do sends a JSON request and decodes the answer; want is the expected status.
func (p *product) do(method, u, token string, in, out any, want int) string {
	p.t.Helper()
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
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		p.t.Fatalf("%s %s: %d %s, want %d", method, u, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			p.t.Fatalf("%s %s: %v in %s", method, u, err, b)
		}
	}
	return string(b)
}

type sdkTask struct {
	Sid              string          `json:"sid"`
	AssignmentStatus string          `json:"assignment_status"`
	Reason           string          `json:"reason"`
	Attributes       json.RawMessage `json:"attributes"`
}

func (t sdkTask) attrs() call.Attributes {
	var a call.Attributes
	_ = json.Unmarshal(t.Attributes, &a)
	return a
}

type reservation struct {
	Sid     string `json:"sid"`
	TaskSid string `json:"task_sid"`
	Status  string `json:"reservation_status"`
}

type me struct {
	Reservations []reservation `json:"reservations"`
	Tasks        []sdkTask     `json:"tasks"`
}

func (a *agent) me() me {
	var m me
	a.p.do(http.MethodGet, a.p.agents+"/me", a.token, nil, &m, 200)
	return m
}

// waitOffer waits for a pending reservation of an internal-call task.
func (a *agent) waitOffer() (reservation, sdkTask) {
	a.p.t.Helper()
	var r reservation
	var t sdkTask
	waitFor(a.p.t, a.name+" offered an internal call", func() bool {
		m := a.me()
		for _, res := range m.Reservations {
			for _, tk := range m.Tasks {
				if res.Status == "pending" && tk.Sid == res.TaskSid && tk.attrs().IsInternalCall() {
					r, t = res, tk
					return true
				}
			}
		}
		return false
	})
	return r, t
}

// noOffer checks the agent has no pending reservation.
func (a *agent) noOffer() bool {
	for _, r := range a.me().Reservations {
		if r.Status == "pending" {
			return false
		}
	}
	return true
}

// call places a call as the bridge does: createTask routed back to the
// caller, then accept it with reservation.call to the caller TwiML.
func (a *agent) call(target call.Target) string {
	a.p.t.Helper()
	attrs := call.CallerAttributes(call.Caller{ContactURI: a.contact, Name: a.full}, target)
	var out struct {
		TaskSid string `json:"task_sid"`
	}
	a.p.do(http.MethodPost, a.p.agents+"/tasks", a.token, map[string]any{
		"to": target.Address(), "from": a.contact,
		"workflowSid": a.p.sd.AssignToAnyoneWorkflowSid, "taskQueueSid": a.p.sd.EveryoneQueueSid,
		"options": map[string]any{"taskChannelUniqueName": "voice", "attributes": json.RawMessage(attrs.String())},
	}, &out, 201)
	res, _ := a.waitOffer()
	if res.TaskSid != out.TaskSid {
		a.p.t.Fatalf("caller offered %s, created %s", res.TaskSid, out.TaskSid)
	}
	a.accept(res, call.CallerTwiMLURL(a.p.url, out.TaskSid))
	return out.TaskSid
}

// answer accepts an offered internal call as the callee's bridge does.
func (a *agent) answer(res reservation) {
	a.accept(res, call.CalleeTwiMLURL(a.p.url, res.TaskSid, "", ""))
}

func (a *agent) accept(res reservation, twimlURL string) {
	options := map[string]any{"accept": true, "statusCallbackUrl": call.LegStatusURL(a.p.url, res.TaskSid)}
	a.p.do(http.MethodPost, a.p.agents+"/reservations/"+res.Sid+"/call", a.token,
		map[string]any{"from": a.contact, "url": twimlURL, "options": options}, nil, 200)
}

// act posts a call action to the product's API with the agent's Flex token.
func (a *agent) act(taskSid string, action call.CallAction, want int) string {
	return a.p.do(http.MethodPost, call.CallActionURL(a.p.url, taskSid, action), a.token, nil, nil, want)
}

// finish completes the agent's wrapping tasks, as the agent does after wrap-up.
func (a *agent) finish() {
	for _, t := range a.me().Tasks {
		if t.AssignmentStatus == "wrapping" {
			a.p.do(http.MethodPost, a.p.agents+"/tasks/"+t.Sid+"/complete", a.token, map[string]any{}, nil, 200)
		}
	}
}

// task fetches a task through the simulator's agent view of any agent.
func (p *product) task(sid string) sdkTask {
	p.t.Helper()
	t, err := p.sim.TaskRouter.Task(p.sd.WorkspaceSid, sid)
	if err != nil {
		p.t.Fatal(err)
	}
	var out sdkTask
	b, _ := json.Marshal(t)
	_ = json.Unmarshal(b, &out)
	var s string
	if json.Unmarshal(out.Attributes, &s) == nil {
		out.Attributes = json.RawMessage(s)
	}
	return out
}

// status waits until a task's internal_call.status is want.
func (p *product) status(taskSid string, want call.Status) sdkTask {
	p.t.Helper()
	var t sdkTask
	waitFor(p.t, fmt.Sprintf("task %s status %s", taskSid, want), func() bool {
		t = p.task(taskSid)
		ic := t.attrs().InternalCall
		return ic != nil && ic.Status == want
	})
	return t
}

// assignment waits until each task has the TaskRouter assignment status want.
func (p *product) assignment(want string, sids ...string) {
	p.t.Helper()
	for _, sid := range sids {
		waitFor(p.t, "task "+sid+" "+want, func() bool { return p.task(sid).AssignmentStatus == want })
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !waitfor.Until(15*time.Second, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

func agentTarget(a *agent) call.Target {
	return call.Target{Kind: call.TargetAgent, ContactURI: a.contact, Name: a.full}
}

func queueTarget(name string) call.Target {
	return call.Target{Kind: call.TargetQueue, QueueName: name, Name: name}
}
