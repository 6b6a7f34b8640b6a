package agents_test

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

	"github.com/flex-internal-call/internal-call/server/twiliosim/agents"
	"github.com/flex-internal-call/internal-call/server/twiliosim/iam"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
)

const accountSid = "AC00000000000000000000000000000000"

type fixture struct {
	t      *testing.T
	srv    *httptest.Server
	svc    *agents.Service
	tr     *taskrouter.Service
	ws     taskrouter.Workspace
	flow   string
	queue  string
	alice  taskrouter.Worker
	bob    taskrouter.Worker
	tokens map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	tr := taskrouter.New(taskrouter.Config{AccountSid: accountSid})
	t.Cleanup(tr.Close)
	ve := voice.New(voice.Config{AccountSid: accountSid, AuthToken: "devtoken"})
	t.Cleanup(ve.Close)
	f := &fixture{t: t, tr: tr, tokens: map[string]string{}}
	var err error
	if f.ws, err = tr.CreateWorkspace(taskrouter.WorkspaceParams{FriendlyName: "Flex Task Assignment", Template: "FIFO"}); err != nil {
		t.Fatal(err)
	}
	f.flow, f.queue = tr.Workflows(f.ws.Sid)[0].Sid, tr.TaskQueues(f.ws.Sid)[0].Sid
	avail, _ := tr.ActivityByName(f.ws.Sid, "Available")
	for name, dst := range map[string]*taskrouter.Worker{"alice": &f.alice, "bob": &f.bob} {
		w, err := tr.CreateWorker(f.ws.Sid, taskrouter.WorkerParams{FriendlyName: name, ActivitySid: avail.Sid,
			Attributes: `{"contact_uri":"client:` + name + `","full_name":"` + strings.ToUpper(name[:1]) + name[1:] + `"}`})
		if err != nil {
			t.Fatal(err)
		}
		*dst = w
	}
	f.svc = agents.New(agents.Config{TaskRouter: tr, Voice: ve, IAM: iam.New(accountSid),
		AnswerDelay: 10 * time.Millisecond, Heartbeat: 20 * time.Millisecond})
	t.Cleanup(f.svc.Close)
	r := chi.NewRouter()
	r.Route("/agents", f.svc.Routes)
	f.srv = httptest.NewServer(r)
	t.Cleanup(f.srv.Close)
	return f
}

// do sends a JSON request as the named agent ("" = no token) and decodes the answer.
func (f *fixture) do(as, method, path string, body any, out any) int {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, f.srv.URL+"/agents"+path, rd)
	if tok := f.tokens[as]; tok != "" {
		req.Header.Set("X-Flex-JWE", tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func (f *fixture) login(name string) {
	f.t.Helper()
	var out struct {
		Token  string       `json:"token"`
		Worker agents.Agent `json:"worker"`
	}
	if st := f.do("", "POST", "/login", map[string]string{"worker": name}, &out); st != 200 || out.Token == "" {
		f.t.Fatalf("login %s: %d", name, st)
	}
	if out.Worker.ContactURI != "client:"+name || out.Worker.FullName == "" || out.Worker.ActivityName != "Available" {
		f.t.Errorf("login worker: %+v", out.Worker)
	}
	f.tokens[name] = out.Token
}

// stream opens the agent's event stream and returns its events by name.
func (f *fixture) stream(ctx context.Context, as string) <-chan [2]string {
	f.t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.srv.URL+"/agents/events?token="+f.tokens[as], nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		f.t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	out := make(chan [2]string, 64)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, ": "):
				out <- [2]string{"heartbeat", ""}
			case strings.HasPrefix(line, "event: "):
				name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				out <- [2]string{name, line[len("data: "):]}
			}
		}
	}()
	return out
}

func next(t *testing.T, ch <-chan [2]string, name string) string {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended before %s", name)
			}
			if ev[0] == name {
				return ev[1]
			}
		case <-timeout:
			t.Fatalf("no %s event", name)
		}
	}
}

func TestLoginAndAuth(t *testing.T) {
	f := newFixture(t)
	if st := f.do("", "POST", "/login", map[string]string{"worker": "nobody"}, nil); st != 404 {
		t.Errorf("unknown worker: %d", st)
	}
	if st := f.do("", "GET", "/me", nil, nil); st != 401 {
		t.Errorf("no token: %d", st)
	}
	f.tokens["mallory"] = "forged"
	if st := f.do("mallory", "GET", "/me", nil, nil); st != 401 {
		t.Errorf("forged token: %d", st)
	}
	f.login("alice")
	var dir struct {
		Items []agents.DirectoryEntry `json:"items"`
	}
	if st := f.do("alice", "GET", "/workers", nil, &dir); st != 200 || len(dir.Items) != 2 ||
		dir.Items[0].Attributes["contact_uri"] == nil || dir.Items[0].ActivityName != "Available" {
		t.Errorf("directory: %d %+v", st, dir)
	}
	var fresh struct {
		Token string `json:"token"`
	}
	if st := f.do("alice", "POST", "/refresh", nil, &fresh); st != 200 || fresh.Token == "" || fresh.Token == f.tokens["alice"] {
		t.Fatalf("refresh: %d", st)
	}
	if st := f.do("alice", "POST", "/logout", nil, nil); st != 204 {
		t.Errorf("logout: %d", st)
	}
	if st := f.do("alice", "GET", "/me", nil, nil); st != 401 {
		t.Errorf("after logout: %d", st)
	}
	f.tokens["alice"] = fresh.Token
	if st := f.do("alice", "GET", "/me", nil, nil); st != 200 {
		t.Errorf("rotated token after the old one's logout: %d", st)
	}
}

func TestCreateTaskRoutesBackToCaller(t *testing.T) {
	f := newFixture(t)
	f.login("alice")
	f.login("bob")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := f.stream(ctx, "alice")
	next(t, events, "ready")
	next(t, events, "heartbeat")

	var created struct {
		TaskSid string `json:"task_sid"`
	}
	st := f.do("alice", "POST", "/tasks", map[string]any{
		"to": "client:bob", "from": "client:alice", "workflowSid": f.flow, "taskQueueSid": f.queue,
		"options": map[string]any{"taskChannelUniqueName": "voice", "attributes": map[string]any{
			"outbound_to": "stale", "from": "stale", "client_call": true, "name": "Bob",
		}},
	}, &created)
	if st != 201 || created.TaskSid == "" {
		t.Fatalf("createTask: %d", st)
	}
	var ev agents.TaskRouterEvent
	if err := json.Unmarshal([]byte(next(t, events, "reservation.created")), &ev); err != nil {
		t.Fatal(err)
	}
	attrs := ev.Task["attributes"].(map[string]any)
	if ev.Reservation.WorkerSid != f.alice.Sid || ev.Task["sid"] != created.TaskSid ||
		ev.Task["routing_target"] != f.alice.Sid || ev.Task["task_channel_unique_name"] != "voice" {
		t.Errorf("reservation.created: %+v", ev)
	}
	if attrs["outbound_to"] != "client:bob" || attrs["from"] != "client:alice" || attrs["client_call"] != true || attrs["name"] != "Bob" {
		t.Errorf("attributes not as the SDK leaves them: %v", attrs)
	}

	// Bob cannot act on Alice's reservation; Alice accepts, wraps up, completes.
	path := "/reservations/" + ev.Reservation.Sid
	if st := f.do("bob", "POST", path+"/accept", nil, nil); st != 404 {
		t.Errorf("other worker's reservation: %d", st)
	}
	if st := f.do("alice", "POST", path+"/accept", nil, nil); st != 200 {
		t.Fatalf("accept: %d", st)
	}
	next(t, events, "reservation.accepted")
	var me agents.Me
	if f.do("alice", "GET", "/me", nil, &me); len(me.Tasks) != 1 || me.Tasks[0]["assignment_status"] != "assigned" {
		t.Errorf("me: %+v", me)
	}
	if st := f.do("bob", "POST", "/tasks/"+created.TaskSid+"/wrapup", nil, nil); st != 404 {
		t.Errorf("bob wrapped up alice's task: %d", st)
	}
	for _, step := range []string{"wrapup", "complete"} {
		if st := f.do("alice", "POST", "/tasks/"+created.TaskSid+"/"+step, nil, nil); st != 200 {
			t.Errorf("%s: %d", step, st)
		}
	}
	next(t, events, "reservation.completed")

	// The stream ends cleanly when the client goes away (srv.Close would hang otherwise).
	cancel()
	for range events {
	}
}

func TestCreateTaskArgumentTypes(t *testing.T) {
	f := newFixture(t)
	f.login("alice")
	for name, body := range map[string]map[string]any{
		"to number":        {"to": 5, "from": "client:alice", "workflowSid": f.flow, "taskQueueSid": f.queue},
		"missing workflow": {"to": "client:bob", "from": "client:alice", "taskQueueSid": f.queue},
		"attributes array": {"to": "client:bob", "from": "client:alice", "workflowSid": f.flow, "taskQueueSid": f.queue,
			"options": map[string]any{"attributes": []int{1}}},
	} {
		if st := f.do("alice", "POST", "/tasks", body, nil); st != 400 {
			t.Errorf("%s: %d", name, st)
		}
	}
}

func TestReservationCallArgumentTypes(t *testing.T) {
	f := newFixture(t)
	f.login("alice")
	var created struct {
		TaskSid string `json:"task_sid"`
	}
	f.do("alice", "POST", "/tasks", map[string]any{"to": "client:bob", "from": "client:alice",
		"workflowSid": f.flow, "taskQueueSid": f.queue}, &created)
	var res []taskrouter.Reservation
	waitfor.Until(5*time.Second, func() bool {
		res, _ = f.tr.TaskReservations(f.ws.Sid, created.TaskSid)
		return len(res) > 0
	})
	if len(res) != 1 {
		t.Fatal("no reservation")
	}
	path := "/reservations/" + res[0].Sid + "/call"
	for name, body := range map[string]map[string]any{
		"accept string":   {"from": "client:alice", "url": "http://x/twiml", "options": map[string]any{"accept": "true"}},
		"timeout float":   {"from": "client:alice", "url": "http://x/twiml", "options": map[string]any{"timeout": 1.5}},
		"timeout string":  {"from": "client:alice", "url": "http://x/twiml", "options": map[string]any{"timeout": "30"}},
		"record bool":     {"from": "client:alice", "url": "http://x/twiml", "options": map[string]any{"record": true}},
		"flat accept num": {"from": "client:alice", "url": "http://x/twiml", "accept": 1},
		"url missing":     {"from": "client:alice"},
		"from number":     {"from": 15005550006, "url": "http://x/twiml"},
	} {
		var e struct {
			Message string `json:"message"`
		}
		if st := f.do("alice", "POST", path, body, &e); st != 400 || e.Message == "" {
			t.Errorf("%s: %d %q", name, st, e.Message)
		}
	}
	// Well-typed arguments reach TaskRouter (which has no voice here, so it refuses).
	var e struct {
		Message string `json:"message"`
	}
	st := f.do("alice", "POST", path, map[string]any{"from": "client:alice", "url": "http://x/twiml",
		"options": map[string]any{"accept": true, "timeout": 30}}, &e)
	if st != 400 || !strings.Contains(e.Message, "voice") {
		t.Errorf("valid call: %d %q", st, e.Message)
	}
}

func TestAnswer(t *testing.T) {
	f := newFixture(t)
	if ok, d := f.svc.Answer("client:alice"); !ok || d != 10*time.Millisecond {
		t.Errorf("alice: %v %v", ok, d)
	}
	f.svc.SetAnswer("bob", agents.Answer{Pick: false})
	if ok, d := f.svc.Answer("client:bob"); ok || d != 0 {
		t.Errorf("bob: %v %v", ok, d)
	}
	f.svc.ResetAnswer("bob")
	if ok, _ := f.svc.Answer("client:bob"); !ok {
		t.Error("bob after reset")
	}
	f.login("alice")
	if st := f.do("alice", "POST", "/answer", map[string]any{"pick": true, "delay_ms": 2000}, nil); st != 204 {
		t.Errorf("answer: %d", st)
	}
	if ok, d := f.svc.Answer("client:alice"); !ok || d != 2*time.Second {
		t.Errorf("alice late: %v %v", ok, d)
	}
	f.do("alice", "POST", "/answer", map[string]any{}, nil)
	if _, d := f.svc.Answer("client:alice"); d != 10*time.Millisecond {
		t.Errorf("alice reset: %v", d)
	}
	if ok, d := f.svc.Answer("client:nobody"); ok || d != 0 {
		t.Errorf("unknown: %v %v", ok, d)
	}
}

func TestActivity(t *testing.T) {
	f := newFixture(t)
	f.login("bob")
	var a agents.Agent
	var ae struct{ Message string }
	if st := f.do("bob", "POST", "/activity", map[string]string{"activity": "Unavailable"}, &ae); st != 200 {
		t.Fatalf("activity: %d %s", st, ae.Message)
	}
	if st := f.do("bob", "GET", "/me", nil, &struct{ Worker *agents.Agent }{&a}); st != 200 || a.ActivityName != "Unavailable" || a.Available {
		t.Errorf("activity: %d %+v", st, a)
	}
	if st := f.do("bob", "POST", "/activity", map[string]string{"activity": "Lunch"}, nil); st != 400 && st != 404 {
		t.Errorf("unknown activity: %d", st)
	}
	if st := f.do("bob", "POST", "/hangup", nil, nil); st != 404 {
		t.Errorf("hangup without a call: %d", st)
	}
}

// An event stream lives as long as the page: the serving program's
// WriteTimeout, which bounds ordinary answers, must not cut it.
func TestEventStreamsOutliveTheWriteTimeout(t *testing.T) {
	f := newFixture(t)
	f.srv.Close()
	r := chi.NewRouter()
	r.Route("/agents", f.svc.Routes)
	f.srv = httptest.NewUnstartedServer(r)
	f.srv.Config.WriteTimeout = 150 * time.Millisecond
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	f.login("alice")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := f.stream(ctx, "alice")
	next(t, events, "ready")
	start := time.Now()
	for time.Since(start) < 600*time.Millisecond {
		next(t, events, "heartbeat")
	}
}
