package ui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// panelModel is a participants panel of the agent "me" (Ann Self), with the
// directory and one queue.
func panelModel(t *testing.T) *Model {
	t.Helper()
	m := NewModel()
	m.SetInit(frameproto.Init{Language: "en-US", Features: both, SelfWorkerSid: "WKme", TaskSid: "WTcall"})
	m.SetDirectory(directory)
	two := 2
	m.SetQueues(frameproto.Queues{Queues: []frameproto.Queue{{Name: "support", FriendlyName: "Support", AvailableAgents: &two}}})
	return m
}

func agent(label, name string, status call.PartyStatus) call.APIParticipant {
	return call.APIParticipant{Label: label, Kind: call.PartyAgent, Name: name, Status: status}
}

var (
	me  = call.APIParticipant{Label: "caller", Kind: call.PartyAgent, Name: "Ann Self", Status: call.PartyJoined, You: true}
	bob = agent("callee", "Bob Ãnderson", call.PartyJoined)
)

// list plays a GET /participants and its answer.
func list(t *testing.T, m *Model, l call.APIParticipants) bool {
	t.Helper()
	r, ok := m.ListRequest()
	if !ok || r.Method != "GET" || r.Path != "/participants" || r.Body != nil {
		t.Fatalf("list request %+v %v", r, ok)
	}
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	return m.PanelAnswer(r, frameproto.APIAnswer{Status: 200, Body: b})
}

func texts(rows []PanelRow) string {
	var s []string
	for _, r := range rows {
		s = append(s, r.Label+":"+r.Name+"|"+r.Text)
	}
	return strings.Join(s, "; ")
}

func TestPanelListAndPollDelay(t *testing.T) {
	m := panelModel(t)
	if m.CanStart() || m.Panel.Loaded {
		t.Fatal("can start before the list")
	}
	r, _ := m.ListRequest()
	if _, again := m.ListRequest(); again {
		t.Fatal("two GETs in flight")
	}
	b, _ := json.Marshal(call.APIParticipants{Participants: []call.APIParticipant{me, bob}})
	if now := m.PanelAnswer(r, frameproto.APIAnswer{Status: 200, Body: b}); !now {
		t.Error("a list asked for while in flight is not asked again at once")
	}
	if now := list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob}}); now {
		t.Error("asks again at once for no reason")
	}
	if !m.CanStart() || m.PollDelay() != 15*time.Second {
		t.Errorf("two agents on the call: can start %v, delay %v", m.CanStart(), m.PollDelay())
	}
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, agent("callee", "Bob Ãnderson", call.PartyRinging)}})
	if m.PollDelay() != 2*time.Second {
		t.Errorf("ringing: delay %v", m.PollDelay())
	}
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, agent("transfer-1", "Carol Chen", call.PartyJoined)},
		Transfer: &call.APITransferState{Label: "transfer-1", By: "callee", Mode: call.TransferWarm, Status: call.PartyJoined}})
	if m.PollDelay() != 2*time.Second || m.CanStart() {
		t.Errorf("transfer in progress: delay %v, can start %v", m.PollDelay(), m.CanStart())
	}

	// Not a panel: no requests at all.
	d := NewModel()
	d.SetInit(frameproto.Init{Features: both})
	if _, ok := d.ListRequest(); ok {
		t.Error("the dialpad asks for participants")
	}
}

func TestPanelRowsHoldRemoveAndOutcomes(t *testing.T) {
	m := panelModel(t)
	held := bob
	held.Hold = true
	num := call.APIParticipant{Label: "external-1", Kind: call.PartyExternal, Name: "•••4567", Status: call.PartyRinging}
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, held, num,
		agent("transfer-1", "Carol Chen", call.PartyDeclined), agent("transfer-2", "Dan Anaya", call.PartyLeft),
		{Label: "external-2", Kind: call.PartyExternal, Name: "•••9999", Status: call.PartyFailed, Reason: "busy"},
		agent("transfer-3", "Eve", call.PartyNoAnswer), agent("transfer-4", "Fay", call.PartyCanceled)}})
	rows := m.PanelRows()
	want := "caller:Ann Self (you)|; callee:Bob Ãnderson|On hold; external-1:•••4567|Ringing…; transfer-1:Carol Chen|Carol Chen declined; " +
		"external-2:•••9999|•••9999 could not be reached: busy; transfer-3:Eve|Eve did not answer; transfer-4:Fay|The call to Fay was canceled"
	if got := texts(rows); got != want {
		t.Fatalf("rows\n got %s\nwant %s", got, want)
	}
	// Three parties ringing or joined: the other joined agent can be held
	// (here resumed), the number removed (ringing: it hangs up); not oneself.
	if rows[0].CanHold || rows[0].CanRemove || !rows[1].CanHold || !rows[1].Hold || rows[1].CanRemove || rows[2].CanHold || !rows[2].CanRemove {
		t.Errorf("buttons %+v", rows[:3])
	}
	if !rows[3].Outcome || rows[3].CanRemove || rows[1].Outcome {
		t.Errorf("outcome flags %+v", rows)
	}

	// On two parties, hold is Flex's own button.
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob}})
	if r := m.PanelRows(); r[1].CanHold {
		t.Error("hold offered on a two-party call")
	}
	if _, ok := m.PartyAction("hold", "callee"); ok {
		t.Error("hold request on a two-party call")
	}

	// An outcome stays until the agent starts a new transfer or number.
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, agent("transfer-1", "Carol Chen", call.PartyNoAnswer)}})
	if !strings.Contains(texts(m.PanelRows()), "Carol Chen did not answer") {
		t.Fatal("the transferring agent is not told")
	}
	m.SetNumber("+15551234567")
	r, ok := m.AddNumber()
	if !ok {
		t.Fatal("add refused")
	}
	m.PanelAnswer(r, frameproto.APIAnswer{Status: 200, Body: json.RawMessage(`{"status":"ok","label":"external-1"}`)})
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, agent("transfer-1", "Carol Chen", call.PartyNoAnswer), num}})
	if got := texts(m.PanelRows()); strings.Contains(got, "did not answer") || !strings.Contains(got, "external-1") {
		t.Errorf("after a new add: %s", got)
	}
}

func TestPanelTransferByYouAndByOthers(t *testing.T) {
	m := panelModel(t)
	carol := agent("transfer-1", "Carol Chen", call.PartyRinging)
	tr := &call.APITransferState{Label: "transfer-1", By: "caller", Mode: call.TransferWarm, Status: call.PartyRinging}
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, carol}, Transfer: tr})
	if m.TransferText() != "Transferring to Carol Chen…" || !m.TransferByYou() || m.CanComplete() || m.CanStart() {
		t.Errorf("ringing consult by you: %q by-you %v complete %v start %v", m.TransferText(), m.TransferByYou(), m.CanComplete(), m.CanStart())
	}
	if _, ok := m.PartyAction("complete", ""); ok {
		t.Error("complete before the target joined")
	}
	carol.Status, tr.Status = call.PartyJoined, call.PartyJoined
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, carol}, Transfer: tr})
	if m.TransferText() != "Carol Chen joined" || !m.CanComplete() {
		t.Errorf("joined consult: %q complete %v", m.TransferText(), m.CanComplete())
	}
	// Started by the other agent: shown, but neither Complete nor Cancel.
	tr.By = "callee"
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, carol}, Transfer: tr})
	if m.TransferByYou() || m.CanComplete() || m.TransferText() != "Carol Chen joined" {
		t.Error("another agent's transfer is offered to complete")
	}
	for _, a := range []string{"complete", "cancel"} {
		if _, ok := m.PartyAction(a, ""); ok {
			t.Errorf("%s of another agent's transfer", a)
		}
	}
	// A cold transfer is never completed by hand.
	tr.By, tr.Mode = "caller", call.TransferCold
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, carol}, Transfer: tr})
	if m.CanComplete() {
		t.Error("complete offered on a cold transfer")
	}
}

func body(t *testing.T, r PanelRequest) string {
	t.Helper()
	return string(r.Body)
}

func TestPanelRequests(t *testing.T) {
	m := panelModel(t)
	num := call.APIParticipant{Label: "external-1", Kind: call.PartyExternal, Name: "•••4567", Status: call.PartyJoined}
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, num}})
	ok200 := frameproto.APIAnswer{Status: 200, Body: json.RawMessage(`{"status":"ok"}`)}

	m.OpenScreen(ScreenPicker)
	m.AgentInput("ana")
	if !m.PickAgent(0) {
		t.Fatal("Ana not picked")
	}
	if m.CanCall(TabAgent) {
		t.Error("a panel places calls")
	}
	r, ok := m.TransferTo(TabAgent, call.TransferCold)
	if !ok || r.Method != "POST" || r.Path != "/transfer" || body(t, r) != `{"target":"client:ana","name":"Ana López","mode":"cold"}` {
		t.Fatalf("cold transfer %+v %s", r, r.Body)
	}
	if _, again := m.TransferTo(TabAgent, call.TransferWarm); again {
		t.Error("a second action while one is in flight")
	}
	if now := m.PanelAnswer(r, ok200); !now || m.Panel.Screen != ScreenList {
		t.Errorf("after the transfer's answer: list now %v, screen %v", now, m.Panel.Screen)
	}

	m.OpenScreen(ScreenPicker)
	m.SelectTab(TabQueue)
	m.QueueInput("sup")
	m.PickQueue(0)
	r, ok = m.TransferTo(TabQueue, call.TransferWarm)
	if !ok || body(t, r) != `{"target":"queue:support","name":"Support","mode":"warm"}` {
		t.Fatalf("consult a queue %+v %s", r, r.Body)
	}
	m.PanelAnswer(r, ok200)

	m.OpenScreen(ScreenAdd)
	m.SetNumber(" +1 (555) 123-4567 ")
	r, ok = m.AddNumber()
	if !ok || r.Method != "POST" || r.Path != "/participants" || body(t, r) != `{"number":"+15551234567"}` {
		t.Fatalf("add number %+v %s", r, r.Body)
	}
	m.PanelAnswer(r, ok200)
	m.SetNumber("")
	if _, ok := m.AddNumber(); ok {
		t.Error("an empty number is posted")
	}

	for _, c := range []struct{ action, label, method, path string }{
		{"remove", "external-1", "DELETE", "/participants/external-1"},
		{"hold", "callee", "POST", "/participants/callee/hold"},
		{"hold", "external-1", "POST", "/participants/external-1/hold"},
	} {
		r, ok := m.PartyAction(c.action, c.label)
		if !ok || r.Method != c.method || r.Path != c.path || r.Body != nil {
			t.Errorf("%s %s: %+v %v", c.action, c.label, r, ok)
		}
		m.PanelAnswer(r, ok200)
	}
	for _, c := range [][2]string{{"remove", "callee"}, {"hold", "caller"}, {"unhold", "callee"}, {"hold", "nobody"}, {"bogus", "callee"}} {
		if r, ok := m.PartyAction(c[0], c[1]); ok {
			t.Errorf("%s %s allowed: %+v", c[0], c[1], r)
		}
	}
	held := bob
	held.Hold = true
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, held, num}})
	if r, ok := m.PartyAction("unhold", "callee"); !ok || r.Path != "/participants/callee/unhold" {
		t.Errorf("unhold %+v", r)
	} else {
		m.PanelAnswer(r, ok200)
	}

	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob, agent("transfer-1", "Carol Chen", call.PartyJoined)},
		Transfer: &call.APITransferState{Label: "transfer-1", By: "caller", Mode: call.TransferWarm, Status: call.PartyJoined}})
	if r, ok := m.PartyAction("complete", ""); !ok || r.Method != "POST" || r.Path != "/transfer/complete" {
		t.Errorf("complete %+v", r)
	} else {
		m.PanelAnswer(r, ok200)
	}
	if r, ok := m.PartyAction("cancel", ""); !ok || r.Path != "/transfer/cancel" {
		t.Errorf("cancel %+v", r)
	}
}

func TestPanelPickerLeavesOutSelfAndParties(t *testing.T) {
	m := panelModel(t)
	m.AgentInput("an")
	m.PickAgent(slicesIndex(m.AgentRows, "WKbob"))
	if m.Agent.Selected != "WKbob" {
		t.Fatal("Bob not selectable before he is on the call")
	}
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob}})
	m.AgentInput("an")
	for _, w := range m.AgentRows {
		if w.WorkerSid == "WKbob" || w.WorkerSid == "WKme" {
			t.Errorf("%s offered", w.DisplayName())
		}
	}
	if m.Agent.Total != len(m.AgentRows) || m.Agent.Total != 2 {
		t.Errorf("total %d rows %d", m.Agent.Total, len(m.AgentRows))
	}
	// Bob leaves: he can be transferred to again.
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, agent("callee", "Bob Ãnderson", call.PartyLeft), agent("transfer-1", "Carol Chen", call.PartyJoined)}})
	m.AgentInput("an")
	if slicesIndex(m.AgentRows, "WKbob") < 0 {
		t.Error("Bob, who left, is not offered")
	}
}

func slicesIndex(ws []frameproto.Worker, sid string) int {
	for i, w := range ws {
		if w.WorkerSid == sid {
			return i
		}
	}
	return -1
}

func TestPanelErrors(t *testing.T) {
	m := panelModel(t)
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob}})
	m.SetNumber("+1555")
	r, _ := m.AddNumber()
	m.PanelAnswer(r, frameproto.APIAnswer{Status: 400, Error: "The number is not one that can be added."})
	if m.Panel.Error != "The number is not one that can be added." {
		t.Errorf("error %q", m.Panel.Error)
	}
	// A good list does not hide the action's error; a failed one does not replace it.
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob}})
	lr, _ := m.ListRequest()
	m.PanelAnswer(lr, frameproto.APIAnswer{Status: 0})
	if m.Panel.Error != "The number is not one that can be added." {
		t.Errorf("action error replaced: %q", m.Panel.Error)
	}
	// The next action clears it; a failed list then shows, keeping the last list.
	m.SetNumber("+15551234567")
	r, _ = m.AddNumber()
	if m.Panel.Error != "" {
		t.Errorf("error kept after a new action: %q", m.Panel.Error)
	}
	m.PanelAnswer(r, frameproto.APIAnswer{Status: 200, Body: json.RawMessage(`{}`)})
	lr, _ = m.ListRequest()
	m.PanelAnswer(lr, frameproto.APIAnswer{Status: 0})
	if m.Panel.Error != "The server could not be reached." || len(m.PanelRows()) != 2 {
		t.Errorf("unreachable: %q, %d rows", m.Panel.Error, len(m.PanelRows()))
	}
	lr, _ = m.ListRequest()
	m.PanelAnswer(lr, frameproto.APIAnswer{Status: 502})
	if m.Panel.Error != "The request failed (HTTP 502)." {
		t.Errorf("status: %q", m.Panel.Error)
	}
	lr, _ = m.ListRequest()
	m.PanelAnswer(lr, frameproto.APIAnswer{Status: 200, Body: json.RawMessage(`[`)})
	if m.Panel.Error != "The server's answer could not be read." {
		t.Errorf("bad body: %q", m.Panel.Error)
	}
	list(t, m, call.APIParticipants{Participants: []call.APIParticipant{me, bob}})
	if m.Panel.Error != "" {
		t.Errorf("a good list keeps the list's error: %q", m.Panel.Error)
	}
	// A 409 of a transfer.
	m.OpenScreen(ScreenPicker)
	m.AgentInput("ana")
	m.PickAgent(0)
	r, _ = m.TransferTo(TabAgent, call.TransferCold)
	m.PanelAnswer(r, frameproto.APIAnswer{Status: 409, Error: "A transfer is already in progress."})
	if m.Panel.Error != "A transfer is already in progress." || m.Panel.Screen != ScreenPicker {
		t.Errorf("409: %q screen %v", m.Panel.Error, m.Panel.Screen)
	}
}
