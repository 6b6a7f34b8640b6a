package ui

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// timers replaces the poll timer for a test: each timer started is
// recorded, and fire runs the last one as if its delay had passed.
type timers struct {
	delays []time.Duration
	last   func()
	live   bool
}

func fakeTimers(t *testing.T) *timers {
	ts := &timers{}
	old := startTimer
	startTimer = func(d time.Duration, f func()) func() bool {
		ts.delays, ts.last, ts.live = append(ts.delays, d), f, true
		return func() bool { was := ts.live; ts.live = false; return was }
	}
	t.Cleanup(func() { startTimer = old })
	return ts
}

// hasElem reports an element whose start tag carries every attribute in
// attrs (go-app writes attributes in no fixed order).
func hasElem(h, tag string, attrs ...string) bool {
	for _, start := range regexp.MustCompile(`<`+tag+`\b[^>]*>`).FindAllString(h, -1) {
		all := true
		for _, a := range attrs {
			all = all && has(start+" ", a)
		}
		if all {
			return true
		}
	}
	return false
}

func apiRequests(t *testing.T, port interface{ Sent() []frameproto.Envelope }) []frameproto.APIRequest {
	t.Helper()
	var out []frameproto.APIRequest
	for _, env := range sentOf(port, frameproto.TypeAPIRequest) {
		var r frameproto.APIRequest
		if err := env.Into(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// A frame initialised with a task is that call's participants panel: it
// asks for the list, shows it, polls, and posts the agent's transfer.
func TestParticipantsPanel(t *testing.T) {
	ts := fakeTimers(t)
	d, port, e := mount(t)
	receive(t, port, e, frameproto.TypeInit, frameproto.Init{Language: "en-US", Features: both, SelfWorkerSid: "WKme", TaskSid: "WTcall"})
	receive(t, port, e, frameproto.TypeDirectory, frameproto.Directory{Workers: directory})
	reqs := apiRequests(t, port)
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != "/participants" {
		t.Fatalf("requests after init %+v", reqs)
	}
	h := html(d)
	if !strings.Contains(h, "On this call") || strings.Contains(h, `id="agent-call"`) {
		t.Fatalf("panel before the list:\n%s", h)
	}

	// A nudge while the GET is in flight: no second GET now, one after the answer.
	receive(t, port, e, frameproto.TypeCallChanged, nil)
	if n := len(apiRequests(t, port)); n != 1 {
		t.Fatalf("%d GETs in flight", n)
	}
	l, _ := json.Marshal(call.APIParticipants{Participants: []call.APIParticipant{me, bob}})
	receive(t, port, e, frameproto.TypeAPIAnswer, frameproto.APIAnswer{ID: reqs[0].ID, Status: 200, Body: l})
	reqs = apiRequests(t, port)
	if len(reqs) != 2 || reqs[1].Path != "/participants" || len(ts.delays) != 0 {
		t.Fatalf("after the nudge's answer: %+v, timers %v", reqs, ts.delays)
	}
	receive(t, port, e, frameproto.TypeAPIAnswer, frameproto.APIAnswer{ID: reqs[1].ID, Status: 200, Body: l})
	if len(ts.delays) != 1 || ts.delays[0] != PollIdle {
		t.Fatalf("poll timers %v", ts.delays)
	}
	h = html(d)
	for _, want := range []string{"Ann Self (you)", "Bob Ãnderson"} {
		if !strings.Contains(h, want) {
			t.Errorf("list lacks %s:\n%s", want, h)
		}
	}
	for _, want := range [][]string{{"ul", `role="list"`}, {"li", `class="participant"`, `data-label="caller"`, `data-status="joined"`, `data-hold="false"`},
		{"li", `data-label="callee"`}, {"button", `id="panel-transfer"`}, {"button", `id="panel-add"`}} {
		if !hasElem(h, want[0], want[1:]...) {
			t.Errorf("list lacks %v:\n%s", want, h)
		}
	}
	if strings.Contains(h, `data-action="hold"`) {
		t.Error("hold offered on a two-party call")
	}

	// The timer fires: a GET.
	ts.last()
	e.ConsumeAll()
	reqs = apiRequests(t, port)
	if len(reqs) != 3 || reqs[2].Method != "GET" {
		t.Fatalf("poll %+v", reqs)
	}
	ringing, _ := json.Marshal(call.APIParticipants{Participants: []call.APIParticipant{me, bob,
		{Label: "external-1", Kind: call.PartyExternal, Name: "•••4567", Status: call.PartyRinging}}})
	receive(t, port, e, frameproto.TypeAPIAnswer, frameproto.APIAnswer{ID: reqs[2].ID, Status: 200, Body: ringing})
	if ts.delays[len(ts.delays)-1] != PollRinging {
		t.Errorf("ringing: next poll in %v", ts.delays[len(ts.delays)-1])
	}
	h = html(d)
	for _, want := range [][]string{{"li", `data-label="external-1"`, `data-status="ringing"`},
		{"span", `id="party-external-1"`},
		{"button", `data-action="remove"`, `data-label="external-1"`, `aria-labelledby="remove-external-1 party-external-1"`},
		{"button", `data-action="hold"`, `data-label="callee"`, `aria-labelledby="hold-callee party-callee"`}} {
		if !hasElem(h, want[0], want[1:]...) {
			t.Errorf("lacks %v:\n%s", want, h)
		}
	}
	if !strings.Contains(h, "Ringing…") {
		t.Error("ringing not shown")
	}

	// Transfer… opens the picker; Transfer on a picked agent posts it.
	d.Do(func(d *Dialpad) { d.panelAction(d.ctx, "pick", "") })
	e.ConsumeAll()
	h = html(d)
	for _, want := range []string{`role="tablist"`, `id="agent-input"`, `id="agent-transfer"`, `id="agent-consult"`, `id="agent-back"`} {
		if !hasElem(h, "[a-z]+", want) {
			t.Errorf("picker lacks %s:\n%s", want, h)
		}
	}
	d.Do(func(d *Dialpad) { d.Model().AgentInput("ana"); d.Model().PickAgent(0) })
	e.ConsumeAll()
	if h := html(d); !hasElem(h, "button", `id="agent-transfer"`, `aria-describedby="agent-input"`, `aria-disabled="false"`) {
		t.Errorf("transfer button not named:\n%s", h)
	}
	d.Do(func(d *Dialpad) { d.panelAction(d.ctx, "cold", ""); d.panelAction(d.ctx, "cold", "") })
	e.ConsumeAll()
	reqs = apiRequests(t, port)
	tr := reqs[len(reqs)-1]
	if len(reqs) != 4 || tr.Method != "POST" || tr.Path != "/transfer" || string(tr.Body) != `{"target":"client:ana","name":"Ana López","mode":"cold"}` {
		t.Fatalf("transfer request %+v %s", reqs, tr.Body)
	}
	// Its answer: the list at once, and the picker closes.
	receive(t, port, e, frameproto.TypeAPIAnswer, frameproto.APIAnswer{ID: tr.ID, Status: 409, Error: "A transfer is already in progress."})
	reqs = apiRequests(t, port)
	if len(reqs) != 5 || reqs[4].Method != "GET" {
		t.Fatalf("no GET after the answer: %+v", reqs)
	}
	if h := html(d); !hasElem(h, "p", `id="panel-error"`, `role="alert"`) || !strings.Contains(h, "A transfer is already in progress.") {
		t.Errorf("error not shown:\n%s", h)
	}

	// Unknown answers are ignored; after dismount nothing polls.
	receive(t, port, e, frameproto.TypeAPIAnswer, frameproto.APIAnswer{ID: 999, Status: 200})
	d.Do(func(d *Dialpad) { d.OnDismount() })
	e.ConsumeAll()
	if ts.live {
		t.Error("the poll timer outlives the panel")
	}
	d.Do(func(d *Dialpad) { d.pollNow() })
	e.ConsumeAll()
	if n := len(apiRequests(t, port)); n != 5 {
		t.Errorf("%d requests after dismount", n)
	}
}

// A transfer in progress, seen by the agent who started it.
func TestParticipantsPanelTransferButtons(t *testing.T) {
	fakeTimers(t)
	d, port, e := mount(t)
	receive(t, port, e, frameproto.TypeInit, frameproto.Init{Language: "en-US", Features: both, SelfWorkerSid: "WKme", TaskSid: "WTcall"})
	reqs := apiRequests(t, port)
	l, _ := json.Marshal(call.APIParticipants{Participants: []call.APIParticipant{me, bob, agent("transfer-1", "Carol Chen", call.PartyRinging)},
		Transfer: &call.APITransferState{Label: "transfer-1", By: "caller", Mode: call.TransferWarm, Status: call.PartyRinging}})
	receive(t, port, e, frameproto.TypeAPIAnswer, frameproto.APIAnswer{ID: reqs[0].ID, Status: 200, Body: l})
	h := html(d)
	if !hasElem(h, "div", `id="transfer-status"`, `role="status"`, `aria-live="polite"`) || !strings.Contains(h, ">Transferring to Carol Chen…</div>") ||
		!hasElem(h, "button", `id="transfer-cancel"`) {
		t.Errorf("transfer status:\n%s", h)
	}
	// Complete is there for a consult, off until Carol joins.
	if !hasElem(h, "button", `id="transfer-complete"`, "call-button-disabled", `aria-disabled="true"`) {
		t.Errorf("complete button:\n%s", h)
	}
	if strings.Contains(h, `id="panel-transfer"`) {
		t.Error("Transfer… offered during a transfer")
	}
	d.Do(func(d *Dialpad) { d.panelAction(d.ctx, "cancel", "") })
	e.ConsumeAll()
	reqs = apiRequests(t, port)
	if r := reqs[len(reqs)-1]; r.Method != "POST" || r.Path != "/transfer/cancel" {
		t.Errorf("cancel %+v", r)
	}
}
