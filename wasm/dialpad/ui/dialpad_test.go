package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/wasm/dialpad/frame"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// mount loads a dialpad on a fake port in go-app's test engine.
func mount(t *testing.T) (*Dialpad, *frame.Fake, app.TestEngine) {
	t.Helper()
	port := &frame.Fake{}
	d := New(port)
	e := app.NewTestEngine()
	if err := e.Load(d); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	d.Do(func(d *Dialpad) { d.connect(d.ctx) }) // OnMount runs only in a browser
	e.ConsumeAll()
	return d, port, e
}

// Do runs f on the UI goroutine and re-renders the dialpad, as an event
// handler does.
func (d *Dialpad) Do(f func(d *Dialpad)) {
	d.ctx.Dispatch(func(app.Context) { f(d) })
}

func receive(t *testing.T, port *frame.Fake, e app.TestEngine, typ frameproto.Type, payload any) {
	t.Helper()
	if !port.Receive(typ, payload) {
		t.Fatal("dialpad not listening")
	}
	e.ConsumeAll()
}

func html(d *Dialpad) string { return app.HTMLString(d) }

func count(s, sub string) int { return strings.Count(s, sub) }

// has reports markup in go-app's HTML encoding, where an attribute whose value
// is "true" is written bare (the browser DOM gets the value itself).
func has(h, want string) bool {
	if strings.Contains(h, want) {
		return true
	}
	if name, ok := strings.CutSuffix(want, `="true"`); ok {
		return regexp.MustCompile(regexp.QuoteMeta(name) + `[ >]`).MatchString(h)
	}
	return false
}

func TestDialpadLifecycle(t *testing.T) {
	d, port, e := mount(t)
	sent := port.Sent()
	if len(sent) != 1 || sent[0].Type != frameproto.TypeReady {
		t.Fatalf("first message %+v", sent)
	}
	if !strings.Contains(html(d), "Loading…") {
		t.Fatalf("before init:\n%s", html(d))
	}

	receive(t, port, e, frameproto.TypeInit, frameproto.Init{Theme: "dark", Language: "en-US", Features: both, SelfWorkerSid: "WKme"})
	h := html(d)
	for _, want := range []string{`class="dialpad theme-dark"`, `role="tablist"`, `role="tab"`, `aria-selected="true"`,
		`role="tabpanel"`, `role="combobox"`, `aria-expanded="false"`, `aria-controls="agent-listbox"`, `role="listbox"`,
		`for="agent-input"`, "Loading agents…", `aria-disabled="true"`, `aria-live="polite"`} {
		if !has(h, want) {
			t.Errorf("after init lacks %s", want)
		}
	}

	receive(t, port, e, frameproto.TypeDirectory, frameproto.Directory{Workers: directory})
	d.Do(func(d *Dialpad) { d.Model().AgentInput("a") })
	e.ConsumeAll()
	h = html(d)
	if n := count(h, `role="option"`); n != 4 {
		t.Fatalf("%d options:\n%s", n, h)
	}
	for _, want := range []string{`aria-expanded="true"`, `aria-activedescendant="agent-opt-0"`, `id="agent-opt-0"`,
		"4 results", "On a call", "Lunch", `dot dot-available`, `dot dot-on-call`, `dot dot-unavailable`, `dot dot-offline`, "Dan Anaya"} {
		if !has(h, want) {
			t.Errorf("typing: lacks %s", want)
		}
	}
	if strings.Contains(h, "Ann Self") {
		t.Error("self offered")
	}
	if strings.Count(html(d), "aria-activedescendant") != 1 {
		t.Error("aria-activedescendant missing or repeated")
	}

	d.Do(func(d *Dialpad) { d.Model().AgentKey("ArrowDown", false) })
	e.ConsumeAll()
	if !strings.Contains(html(d), `aria-activedescendant="agent-opt-1"`) {
		t.Error("arrow down did not move the active option")
	}
	d.Do(func(d *Dialpad) { d.Model().AgentKey("Enter", false) })
	e.ConsumeAll()
	h = html(d)
	if !strings.Contains(h, `value="Bob Ãnderson"`) || !strings.Contains(h, "is on a call and may not answer") ||
		!strings.Contains(h, `aria-describedby="agent-warning"`) || !strings.Contains(h, `aria-label="Call Bob Ãnderson"`) {
		t.Errorf("after Enter:\n%s", h)
	}
	if strings.Contains(h, "aria-activedescendant") {
		t.Error("aria-activedescendant left on a closed listbox")
	}
	if !strings.Contains(h, `aria-disabled="false"`) {
		t.Error("call button not enabled with a selection")
	}

	// Two clicks, one call.
	d.Do(func(d *Dialpad) { d.placeCall(TabAgent); d.placeCall(TabAgent) })
	e.ConsumeAll()
	var calls []frameproto.PlaceCall
	for _, env := range port.Sent() {
		if env.Type == frameproto.TypePlaceCall {
			var p frameproto.PlaceCall
			if err := env.Into(&p); err != nil {
				t.Fatal(err)
			}
			calls = append(calls, p)
		}
	}
	if len(calls) != 1 || calls[0].WorkerSid != "WKbob" || calls[0].ContactURI != "client:bob" {
		t.Fatalf("place-call messages %+v", calls)
	}
	h = html(d)
	if !strings.Contains(h, "Placing the call…") || !has(h, `aria-busy="true"`) || !strings.Contains(h, ">Placing call…</button>") {
		t.Errorf("placing:\n%s", h)
	}

	receive(t, port, e, frameproto.TypeCallStatus, frameproto.CallStatus{Status: "ringing", PeerName: "Bob A."})
	if !strings.Contains(html(d), "Ringing Bob A.…") {
		t.Error("ringing not shown")
	}
	receive(t, port, e, frameproto.TypeCallStatus, frameproto.CallStatus{Status: "failed", Reason: "Bob is not reachable"})
	h = html(d)
	if !strings.Contains(h, "The call failed: Bob is not reachable") || !strings.Contains(h, "call-status-error") {
		t.Errorf("failure:\n%s", h)
	}
}

func TestQueueSectionAlone(t *testing.T) {
	d, port, e := mount(t)
	receive(t, port, e, frameproto.TypeInit, frameproto.Init{Language: "zh-CN", Features: frameproto.Features{CallQueue: true}})
	h := html(d)
	if strings.Contains(h, `role="tablist"`) || !strings.Contains(h, "呼叫队列") || !strings.Contains(h, `lang="zh-Hans"`) {
		t.Errorf("single section:\n%s", h)
	}
	receive(t, port, e, frameproto.TypeQueues, frameproto.Queues{Error: "timeout"})
	if h := html(d); !strings.Contains(h, "无法加载队列：timeout") || !strings.Contains(h, `role="alert"`) {
		t.Errorf("queue error:\n%s", h)
	}
	two := 2
	receive(t, port, e, frameproto.TypeQueues, frameproto.Queues{Queues: []frameproto.Queue{{Name: "support", FriendlyName: "Support", AvailableAgents: &two}}})
	d.Do(func(d *Dialpad) { d.Model().QueueKey("ArrowDown", false) })
	e.ConsumeAll()
	if h := html(d); !strings.Contains(h, "2 人空闲") || strings.Contains(h, "无法加载") {
		t.Errorf("queue list:\n%s", h)
	}
}

func TestNothingEnabled(t *testing.T) {
	d, port, e := mount(t)
	receive(t, port, e, frameproto.TypeInit, frameproto.Init{Language: "th"})
	if !strings.Contains(html(d), "ปิดการโทรภายในอยู่") {
		t.Errorf("disabled:\n%s", html(d))
	}
}

func TestLargeDirectoryRendersBoundedList(t *testing.T) {
	d, port, e := mount(t)
	receive(t, port, e, frameproto.TypeInit, frameproto.Init{Language: "en-US", Features: both})
	ws := make([]frameproto.Worker, 10000)
	for i := range ws {
		ws[i] = frameproto.Worker{WorkerSid: fmt.Sprintf("WK%05d", i), FriendlyName: fmt.Sprintf("agent%05d", i),
			ContactURI: fmt.Sprintf("client:agent%05d", i), Availability: frameproto.Available}
	}
	receive(t, port, e, frameproto.TypeDirectory, frameproto.Directory{Workers: ws})
	d.Do(func(d *Dialpad) { d.Model().AgentInput("agent") })
	e.ConsumeAll()
	h := html(d)
	if n := count(h, `role="option"`); n != MaxRows {
		t.Errorf("%d options rendered", n)
	}
	if !strings.Contains(h, "10000 results, showing the first 50") {
		t.Error("live region does not tell the total")
	}
	d.Do(func(d *Dialpad) { d.Model().AgentKey("End", false) })
	e.ConsumeAll()
	if !regexp.MustCompile(`aria-activedescendant="agent-opt-49"`).MatchString(html(d)) {
		t.Error("End did not reach the last rendered option")
	}
}

func TestComponentsMatch(t *testing.T) {
	e := app.NewTestEngine()
	s := &CallStatus{ID: "agent-status", Text: "Connected to Ana", Tone: "success"}
	if err := e.Load(s); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	want := app.Div().ID("agent-status").Class("call-status", "call-status-success").Role("status").Aria("live", "polite")
	if err := app.Match(want, s, 0); err != nil {
		t.Error(err)
	}
	if err := app.Match(app.Text("Connected to Ana"), s, 0, 0); err != nil {
		t.Error(err)
	}

	b := &CallButton{ID: "agent-call", Label: "Call", Enabled: false}
	e2 := app.NewTestEngine()
	if err := e2.Load(b); err != nil {
		t.Fatal(err)
	}
	e2.ConsumeAll()
	if err := app.Match(app.Button().ID("agent-call").Type("button").Class("call-button", "call-button-disabled").
		Aria("disabled", "true").Aria("busy", "false").OnClick(func(app.Context, app.Event) {}), b, 0); err != nil {
		t.Error(err)
	}
}
