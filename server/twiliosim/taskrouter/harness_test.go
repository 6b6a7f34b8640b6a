package taskrouter

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
	"github.com/go-chi/chi/v5"
	"github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	trapi "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
)

// harness is a Service behind httptest, driven through the real twilio-go.
type harness struct {
	t      *testing.T
	svc    *Service
	srv    *httptest.Server
	api    *trapi.ApiService
	dialer *fakeDialer
}

// rewrite sends twilio-go's https://taskrouter.twilio.com/... requests to the
// test server under /taskrouter, as the product's client does with its base URL.
type rewrite struct{ target *url.URL }

func (rw rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host = rw.target.Scheme, rw.target.Host
	r.URL.Path = "/taskrouter" + req.URL.Path
	r.Host = rw.target.Host
	return http.DefaultTransport.RoundTrip(r)
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, dialer: &fakeDialer{}}
	if cfg.Dialer == nil {
		cfg.Dialer = h.dialer
	}
	if cfg.ReservationTimeout == 0 {
		cfg.ReservationTimeout = 5 * time.Second
	}
	h.svc = New(cfg)
	// Every request and answer is checked against Twilio's OpenAPI document.
	checker := &contract.ResponseChecker{}
	r := chi.NewRouter()
	r.Use(contract.Options{Responses: checker, RejectUnknown: true}.Middleware)
	r.Route("/taskrouter", h.svc.Routes)
	h.srv = httptest.NewServer(r)
	target, _ := url.Parse(h.srv.URL)
	c := &client.Client{
		Credentials: client.NewCredentials("ACtest", "token"),
		HTTPClient:  &http.Client{Transport: rewrite{target}, Timeout: 5 * time.Second},
	}
	c.SetAccountSid("ACtest")
	h.api = twilio.NewRestClientWithParams(twilio.ClientParams{Client: c}).TaskrouterV1
	t.Cleanup(func() {
		h.srv.Close()
		h.svc.Close()
		for _, v := range checker.Violations() {
			t.Errorf("contract: %s", v)
		}
	})
	return h
}

// internalCall is the product's "Internal Call" setup: a queue with everyone,
// a Sales queue, and a workflow whose first filter routes a task to the
// worker whose contact_uri is task.targetWorker.
type internalCall struct {
	ws, workflow, everyone, sales   string
	available, offline, unavailable string
	alice, bob, carol, dave         string // carol starts offline; dave is in Sales
}

func (h *harness) seedInternalCall() internalCall {
	t := h.t
	t.Helper()
	var ic internalCall
	ws := must(h.api.CreateWorkspace(new(trapi.CreateWorkspaceParams).SetFriendlyName("Flex Task Assignment")))
	ic.ws = *ws.Sid
	acts := must(h.api.ListActivity(ic.ws, nil))
	for _, a := range acts {
		switch *a.FriendlyName {
		case "Available":
			ic.available = *a.Sid
		case "Offline":
			ic.offline = *a.Sid
		case "Unavailable":
			ic.unavailable = *a.Sid
		}
	}
	worker := func(name, activity string, attrs map[string]any) string {
		b, _ := json.Marshal(attrs)
		w := must(h.api.CreateWorker(ic.ws, new(trapi.CreateWorkerParams).SetFriendlyName(name).
			SetActivitySid(activity).SetAttributes(string(b))))
		return *w.Sid
	}
	ic.alice = worker("alice", ic.available, map[string]any{"contact_uri": "client:alice", "full_name": "Alice", "routing": map[string]any{"skills": []string{"support"}}})
	ic.bob = worker("bob", ic.available, map[string]any{"contact_uri": "client:bob", "full_name": "Bob"})
	ic.carol = worker("carol", ic.offline, map[string]any{"contact_uri": "client:carol", "full_name": "Carol"})
	ic.dave = worker("dave", ic.available, map[string]any{"contact_uri": "client:dave", "full_name": "Dave", "routing": map[string]any{"skills": []string{"sales"}}})

	ic.everyone = *must(h.api.CreateTaskQueue(ic.ws, new(trapi.CreateTaskQueueParams).
		SetFriendlyName("Everyone").SetTargetWorkers("1==1"))).Sid
	ic.sales = *must(h.api.CreateTaskQueue(ic.ws, new(trapi.CreateTaskQueueParams).
		SetFriendlyName("Sales").SetTargetWorkers("routing.skills HAS 'sales'"))).Sid
	conf := map[string]any{"task_routing": map[string]any{
		"filters": []any{
			map[string]any{
				"filter_friendly_name": "Internal Call Agent",
				"expression":           "targetWorker != null",
				"targets": []any{map[string]any{
					"queue": ic.everyone, "expression": "task.targetWorker==worker.contact_uri", "priority": 1000,
				}},
			},
			map[string]any{
				"filter_friendly_name": "Internal Call Sales",
				"expression":           "callToQueue=='Sales'",
				"targets":              []any{map[string]any{"queue": ic.sales}},
			},
		},
		"default_filter": map[string]any{"queue": ic.everyone},
	}}
	b, _ := json.Marshal(conf)
	ic.workflow = *must(h.api.CreateWorkflow(ic.ws, new(trapi.CreateWorkflowParams).
		SetFriendlyName("Internal Call").SetConfiguration(string(b)))).Sid
	return ic
}

// createTask creates a task through twilio-go.
func (h *harness) createTask(ws, workflow string, attrs map[string]any) *trapi.TaskrouterV1Task {
	h.t.Helper()
	b, _ := json.Marshal(attrs)
	return must(h.api.CreateTask(ws, new(trapi.CreateTaskParams).SetWorkflowSid(workflow).
		SetTaskChannel("voice").SetAttributes(string(b))))
}

// reservations lists a task's reservations with a status.
func (h *harness) reservations(ws, task, status string) []trapi.TaskrouterV1TaskReservation {
	h.t.Helper()
	p := new(trapi.ListTaskReservationParams)
	if status != "" {
		p.SetReservationStatus(status)
	}
	return must(h.api.ListTaskReservation(ws, task, p))
}

// pendingFor returns the single pending reservation of a task, which must be
// for worker.
func (h *harness) pendingFor(ws, task, worker string) trapi.TaskrouterV1TaskReservation {
	h.t.Helper()
	rs := h.reservations(ws, task, "pending")
	if len(rs) != 1 {
		h.t.Fatalf("task %s: want 1 pending reservation, got %d", task, len(rs))
	}
	if *rs[0].WorkerSid != worker {
		h.t.Fatalf("task %s reserved for %s (%s), want %s", task, *rs[0].WorkerSid, *rs[0].WorkerName, worker)
	}
	return rs[0]
}

func (h *harness) taskStatus(ws, task string) string {
	h.t.Helper()
	return *must(h.api.FetchTask(ws, task)).AssignmentStatus
}

// must unwraps a twilio-go result; an error panics, which fails the test with
// the Twilio error in the message.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// recorder collects a subscriber's events.
type recorder struct {
	ch chan Event
}

func (h *harness) record(ws, worker string) *recorder {
	rec := &recorder{ch: make(chan Event, 256)}
	cancel := h.svc.Subscribe(ws, worker, func(ev Event) { rec.ch <- ev })
	h.t.Cleanup(cancel)
	return rec
}

// next waits for the next event of type typ, skipping others.
func (rec *recorder) next(t *testing.T, typ string) Event {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for {
		select {
		case ev := <-rec.ch:
			if ev.EventType == typ {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event within 3s", typ)
			return Event{}
		}
	}
}

// fakeDialer records dials; tests answer or end them.
type fakeDialer struct {
	mu    sync.Mutex
	calls []*fakeCall
	fail  error
}

type fakeCall struct {
	sid, from, to, url string
	timeout            time.Duration
	answered           func(string)
	ended              func(string, string)
}

func (d *fakeDialer) Dial(leg CallLeg) (string, error) {
	from, to, url, timeout, onAnswered, onEnded := leg.From, leg.To, leg.URL, leg.Timeout, leg.OnAnswered, leg.OnEnded
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail != nil {
		return "", d.fail
	}
	c := &fakeCall{sid: "CA" + time.Now().Format("150405.000000000"), from: from, to: to, url: url,
		timeout: timeout, answered: onAnswered, ended: onEnded}
	d.calls = append(d.calls, c)
	return c.sid, nil
}

func (d *fakeDialer) last(t *testing.T) *fakeCall {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.calls) == 0 {
		t.Fatal("no call dialed")
	}
	return d.calls[len(d.calls)-1]
}

// eventually polls cond until it holds or 3s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !waitfor.Until(3*time.Second, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// noTaskOpen is the invariant every scenario ends with: nothing pending,
// reserved or assigned, and no reservation left open.
func noTaskOpen(t *testing.T, svc *Service) {
	t.Helper()
	for _, ws := range svc.Snapshot().Workspaces {
		for _, task := range ws.Tasks {
			switch task.AssignmentStatus {
			case StatusPending, StatusReserved, StatusAssigned:
				t.Errorf("task %s left %s", task.Sid, task.AssignmentStatus)
			}
		}
		for _, r := range ws.Reservations {
			if r.ReservationStatus == ResPending || r.ReservationStatus == ResAccepted {
				t.Errorf("reservation %s left %s", r.Sid, r.ReservationStatus)
			}
		}
	}
}
