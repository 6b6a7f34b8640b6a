package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
)

func worker(sid, full, friendly string, a frameproto.Availability, activity string) frameproto.Worker {
	return frameproto.Worker{WorkerSid: sid, FullName: full, FriendlyName: friendly, ContactURI: "client:" + friendly, Availability: a, ActivityName: activity}
}

var directory = []frameproto.Worker{
	worker("WKana", "Ana López", "ana", frameproto.Available, "Available"),
	worker("WKbob", "Bob Ãnderson", "bob", frameproto.OnCall, "Available"),
	worker("WKcat", "", "catalina", frameproto.Unavailable, "Lunch"),
	worker("WKdan", "Dan Anaya", "dan", frameproto.Offline, "Offline"),
	worker("WKme", "Ann Self", "me", frameproto.Available, "Available"),
}

func ready(flags frameproto.Features) *Model {
	m := NewModel()
	m.SetInit(frameproto.Init{Theme: "dark", Language: "es-419", Features: flags, SelfWorkerSid: "WKme"})
	m.SetDirectory(directory)
	return m
}

var both = frameproto.Features{CallAgent: true, CallQueue: true}

func TestInitFlagsAndTabs(t *testing.T) {
	m := NewModel()
	if m.Ready || m.CanCall(TabAgent) {
		t.Fatal("ready before init")
	}
	m.SetInit(frameproto.Init{Language: "pt-PT", Features: frameproto.Features{CallQueue: true}})
	if m.Tab != TabQueue || m.Lang != i18n.PtBR || m.Theme() != "light" {
		t.Fatalf("tab %s lang %s theme %s", m.Tab, m.Lang, m.Theme())
	}
	m.SelectTab(TabAgent) // flag off
	if m.Tab != TabQueue {
		t.Error("switched to a disabled section")
	}
	m = ready(both)
	if m.Tab != TabAgent || m.Theme() != "dark" || m.Lang != i18n.EsMX {
		t.Errorf("tab %s theme %s lang %s", m.Tab, m.Theme(), m.Lang)
	}
	m.SelectTab(TabQueue)
	if m.Tab != TabQueue {
		t.Error("tab not selected")
	}
}

func TestTypingSelectingAndWarnings(t *testing.T) {
	m := ready(both)
	m.AgentInput("A")
	// The caller (Ann Self) is never offered; the offline Dan is listed last.
	var got []string
	for _, o := range m.AgentOptions() {
		got = append(got, o.Label)
	}
	if strings.Join(got, ",") != "Ana López,Bob Ãnderson,catalina,Dan Anaya" {
		t.Fatalf("options %q", got)
	}
	if !m.Agent.Nav.Open || m.Agent.Nav.Active != 0 {
		t.Fatalf("listbox %+v", m.Agent.Nav)
	}
	if m.CanCall(TabAgent) {
		t.Fatal("call enabled without a selection")
	}
	if ResultsText(m.Lang, m.Agent, len(m.AgentRows)) != "4 resultados" {
		t.Errorf("results %q", ResultsText(m.Lang, m.Agent, len(m.AgentRows)))
	}
	// Keyboard: down twice, up once, End, Home, Enter.
	for _, k := range []string{"ArrowDown", "ArrowDown", "ArrowUp", "End"} {
		m.AgentKey(k, false)
	}
	if m.Agent.Nav.Active != 3 {
		t.Fatalf("active %d", m.Agent.Nav.Active)
	}
	m.AgentKey("Home", false)
	m.AgentKey("ArrowDown", false)
	if a := m.AgentKey("Enter", false); a != KeyChoose {
		t.Fatalf("enter: %v", a)
	}
	w, ok := m.SelectedWorker()
	if !ok || w.WorkerSid != "WKbob" || m.Agent.Text != "Bob Ãnderson" || m.Agent.Nav.Open {
		t.Fatalf("selected %+v %q %+v", w, m.Agent.Text, m.Agent.Nav)
	}
	// Busy: selectable with a warning.
	if !m.CanCall(TabAgent) || !strings.Contains(m.AgentWarning(), "Bob Ãnderson está en una llamada") {
		t.Errorf("busy agent: can=%v warning=%q", m.CanCall(TabAgent), m.AgentWarning())
	}
	// Unavailable shows the activity.
	m.AgentInput("catal")
	m.AgentKey("Enter", false)
	if !strings.Contains(m.AgentWarning(), "Lunch") {
		t.Errorf("unavailable warning %q", m.AgentWarning())
	}
	// Typing again drops the selection.
	m.AgentInput("catalx")
	if m.Agent.Selected != "" || m.CanCall(TabAgent) {
		t.Error("selection survived new text")
	}
	// Escape closes, a second Escape clears.
	m.AgentInput("a")
	if m.AgentKey("Escape", false) != KeyClosed || m.Agent.Nav.Open || m.Agent.Text != "a" {
		t.Error("first escape")
	}
	if m.AgentKey("Escape", false) != KeyClear || m.Agent.Text != "" {
		t.Error("second escape")
	}
}

func TestBlockBusy(t *testing.T) {
	m := ready(frameproto.Features{CallAgent: true, BlockBusy: true})
	m.AgentInput("bob")
	opts := m.AgentOptions()
	if len(opts) != 1 || !opts[0].Disabled || !strings.Contains(opts[0].Detail, dialpadtext.T(m.Lang, "dialpad.blocked")) {
		t.Fatalf("blocked row %+v", opts)
	}
	if m.AgentKey("Enter", false) != KeyIgnored || m.PickAgent(0) || m.Agent.Selected != "" || m.CanCall(TabAgent) {
		t.Error("blocked worker selectable")
	}
	// An available worker is still callable, and loses callability when the
	// directory says they went on a call.
	m.AgentInput("ana")
	m.AgentKey("Enter", false)
	if !m.CanCall(TabAgent) {
		t.Fatal("available worker not callable")
	}
	busy := append([]frameproto.Worker(nil), directory...)
	busy[0].Availability = frameproto.OnCall
	m.SetDirectory(busy)
	if m.CanCall(TabAgent) {
		t.Error("worker gone busy still callable under block_busy")
	}
	// Gone offline: the selection stays, Call is off, and the agent is told why.
	busy[0].Availability = frameproto.Offline
	m.SetDirectory(busy)
	if m.CanCall(TabAgent) || !strings.Contains(m.AgentWarning(), "Ana López") {
		t.Errorf("offline worker: can=%v warning=%q", m.CanCall(TabAgent), m.AgentWarning())
	}
}

// Offline agents are listed greyed, with why they cannot be called, instead
// of silently missing; a search with no match says so visibly.
func TestOfflineAgentsAreListedNotCallable(t *testing.T) {
	m := ready(both)
	m.Lang = i18n.EnUS
	m.AgentInput("dan")
	opts := m.AgentOptions()
	if len(opts) != 1 || opts[0].Label != "Dan Anaya" || !opts[0].Disabled || opts[0].Dot != "offline" ||
		!strings.Contains(opts[0].Detail, "Offline") || !strings.Contains(opts[0].Detail, dialpadtext.T(m.Lang, "dialpad.blocked")) {
		t.Fatalf("offline row %+v", opts)
	}
	if m.AgentKey("Enter", false) != KeyIgnored || m.PickAgent(0) || m.CanCall(TabAgent) {
		t.Error("an offline worker was selectable")
	}
	m.AgentInput("zzz")
	if got := m.NoMatchesText(TabAgent); got != dialpadtext.T(m.Lang, "dialpad.results.none") {
		t.Errorf("no visible no-matches text: %q", got)
	}
	m.AgentInput("")
	if got := m.NoMatchesText(TabAgent); got != "" {
		t.Errorf("no-matches text for an empty box: %q", got)
	}
}

// Enter on a chosen agent places the call: Enter to choose, Enter to call.
func TestEnterOnAChosenAgentPlacesTheCall(t *testing.T) {
	m := ready(both)
	m.AgentInput("ana")
	if m.AgentKey("Enter", false) != KeyChoose {
		t.Fatal("enter did not choose")
	}
	if a := m.AgentKey("Enter", false); a != KeyPlace {
		t.Fatalf("enter on the chosen agent: %v, want KeyPlace", a)
	}
	// Nothing chosen: Enter does nothing.
	m = ready(both)
	m.AgentInput("zzz")
	if a := m.AgentKey("Enter", false); a != KeyIgnored {
		t.Fatalf("enter with nothing chosen: %v", a)
	}
	// Queues too.
	m = ready(both)
	m.SetQueues(frameproto.Queues{Queues: []frameproto.Queue{{Name: "Sales"}}})
	m.QueueInput("sal")
	m.QueueKey("Enter", false)
	if a := m.QueueKey("Enter", false); a != KeyPlace {
		t.Fatalf("enter on the chosen queue: %v", a)
	}
}

// Presence warnings concern other calls: the agent you are talking to is
// "on a call" with you.
func TestNoBusyWarningAboutThePersonYouAreTalkingTo(t *testing.T) {
	m := ready(both)
	m.AgentInput("bob")
	m.AgentKey("Enter", false)
	if m.AgentWarning() == "" {
		t.Fatal("no warning about a busy agent before the call")
	}
	m.PlaceCall(TabAgent)
	m.SetCallStatus(frameproto.CallStatus{Status: "connected", PeerName: "Bob Ãnderson"})
	if w := m.AgentWarning(); w != "" {
		t.Errorf("warned about the agent on the call with us: %q", w)
	}
}

// While a call is under way, Call says why it is off.
func TestCallSaysWhyItIsOffDuringACall(t *testing.T) {
	m := ready(both)
	m.Lang = i18n.EnUS
	m.AgentInput("ana")
	m.AgentKey("Enter", false)
	if m.CallOffReason() != "" {
		t.Fatalf("a reason while Call is on: %q", m.CallOffReason())
	}
	m.PlaceCall(TabAgent)
	if got := m.CallOffReason(); got != "" {
		t.Errorf("a reason while the call is being placed: %q", got)
	}
	m.SetCallStatus(frameproto.CallStatus{Status: "ringing"})
	if got := m.CallOffReason(); got != dialpadtext.T(m.Lang, "dialpad.call.busy") {
		t.Errorf("reason while ringing %q", got)
	}
	m.SetCallStatus(frameproto.CallStatus{Status: "connected"})
	if got := m.CallOffReason(); got != "You are on a call with Ana López: end it to place another." {
		t.Errorf("reason %q", got)
	}
	m.SetCallStatus(frameproto.CallStatus{Status: "ended"})
	if got := m.CallOffReason(); got != "" {
		t.Errorf("reason after the call: %q", got)
	}
}

// A finished call's message goes when the agent starts a new search.
func TestANewSearchClearsAFinishedCallsMessage(t *testing.T) {
	m := ready(both)
	m.AgentInput("ana")
	m.AgentKey("Enter", false)
	m.PlaceCall(TabAgent)
	m.SetCallStatus(frameproto.CallStatus{Status: "no-answer", PeerName: "Ana López"})
	if m.StatusText() == "" {
		t.Fatal("no status")
	}
	m.AgentInput("b")
	if got := m.StatusText(); got != "" {
		t.Errorf("the finished call's message stayed: %q", got)
	}
	// A call under way keeps its status whatever the agent types.
	m.AgentInput("ana")
	m.AgentKey("Enter", false)
	m.PlaceCall(TabAgent)
	m.SetCallStatus(frameproto.CallStatus{Status: "ringing", PeerName: "Ana López"})
	m.AgentInput("x")
	if m.StatusText() == "" {
		t.Error("a ringing call's status was cleared by typing")
	}
}

func TestPlaceCallOnceAndStatus(t *testing.T) {
	m := ready(both)
	m.AgentInput("ana l")
	m.AgentKey("Enter", false)
	p, ok := m.PlaceCall(TabAgent)
	if !ok || p.Kind != "agent" || p.WorkerSid != "WKana" || p.ContactURI != "client:ana" || p.Name != "Ana López" {
		t.Fatalf("place %+v %v", p, ok)
	}
	if _, again := m.PlaceCall(TabAgent); again || m.CanCall(TabAgent) || m.CanCall(TabQueue) {
		t.Fatal("a second click placed another call")
	}
	steps := []struct{ status, reason, want string }{
		{"", "", "Iniciando la llamada…"},
		{"initiated", "", "Llamando a Ana López…"},
		{"ringing", "", "Sonando en Ana López…"},
		{"connected", "", "Conectado con Ana López"},
	}
	for _, s := range steps {
		if s.status != "" {
			m.SetCallStatus(frameproto.CallStatus{Status: s.status, Reason: s.reason})
		}
		if got := m.StatusText(); got != s.want {
			t.Errorf("%s: %q, want %q", s.status, got, s.want)
		}
		if m.CanCall(TabAgent) {
			t.Errorf("%s: call enabled during a call", s.status)
		}
	}
	m.Lang = i18n.EnUS
	for status, want := range map[string]string{
		"declined":  "Ana López declined the call",
		"no-answer": "Ana López did not answer",
		"canceled":  "The call was canceled",
		"ended":     "The call ended",
		"failed":    "The call failed: no route",
		"weird":     "Call status: weird",
	} {
		reason := ""
		if status == "failed" {
			reason = "no route"
		}
		m.SetCallStatus(frameproto.CallStatus{Status: status, Reason: reason})
		if got := m.StatusText(); got != want {
			t.Errorf("%s: %q", status, got)
		}
	}
	m.SetCallStatus(frameproto.CallStatus{Status: "failed"})
	if m.StatusText() != "The call failed" || StatusTone("failed") != "error" || StatusTone("connected") != "success" {
		t.Error("failed without reason")
	}
	if !m.CanCall(TabAgent) {
		t.Error("call not enabled again after a final status")
	}
}

func TestQueues(t *testing.T) {
	m := ready(both)
	if m.QueuesLoaded {
		t.Fatal("queues loaded before any message")
	}
	m.SetQueues(frameproto.Queues{Error: "HTTP 503"})
	if m.QueuesError != "HTTP 503" || m.CanCall(TabQueue) {
		t.Fatal("queue error")
	}
	zero, three := 0, 3
	m.SetQueues(frameproto.Queues{Queues: []frameproto.Queue{
		{Name: "support", FriendlyName: "Soporte", AvailableAgents: &three},
		{Name: "sales", FriendlyName: "Ventas", AvailableAgents: &zero},
		{Name: "vip", FriendlyName: "VIP"},
	}})
	m.QueueInput("")
	m.QueueKey("ArrowDown", false)
	opts := m.QueueOptions()
	if len(opts) != 3 || opts[0].Detail != "3 disponibles" || opts[1].Detail != "Nadie disponible" || opts[2].Detail != "" {
		t.Fatalf("queue rows %+v", opts)
	}
	m.QueueKey("Enter", false)
	p, ok := m.PlaceCall(TabQueue)
	if !ok || p.Kind != "queue" || p.QueueName != "support" || p.Name != "Soporte" {
		t.Fatalf("queue call %+v", p)
	}
}

func TestListNav(t *testing.T) {
	var l ListNav
	if l.Key("ArrowDown", false, 0) != KeyIgnored || l.Key("Enter", false, 3) != KeyIgnored {
		t.Fatal("keys on nothing")
	}
	if l.Key("Home", false, 3) != KeyIgnored {
		t.Fatal("Home on a closed list must move the caret")
	}
	l.Key("ArrowDown", true, 3) // Alt+Down: open, nothing active
	if !l.Open || l.Active != -1 {
		t.Fatalf("alt down %+v", l)
	}
	l.Key("ArrowUp", false, 3)
	if l.Active != 2 {
		t.Fatalf("up from none %+v", l)
	}
	l.Key("ArrowDown", false, 3) // no wrap
	if l.Active != 2 {
		t.Fatalf("down at end %+v", l)
	}
	l.Key("Home", false, 3)
	l.Key("ArrowUp", false, 3)
	if l.Active != 0 {
		t.Fatalf("up at start %+v", l)
	}
	if l.Key("ArrowUp", true, 3) != KeyClosed || l.Open {
		t.Fatal("alt up closes")
	}
	l.Key("ArrowUp", false, 3)
	if !l.Open || l.Active != 2 {
		t.Fatalf("up opens on last %+v", l)
	}
}

func TestNextTab(t *testing.T) {
	items := []TabItem{{TabAgent, "A"}, {TabQueue, "Q"}}
	for _, c := range []struct {
		from Tab
		key  string
		want Tab
		ok   bool
	}{
		{TabAgent, "ArrowRight", TabQueue, true}, {TabQueue, "ArrowRight", TabAgent, true},
		{TabAgent, "ArrowLeft", TabQueue, true}, {TabQueue, "Home", TabAgent, true},
		{TabAgent, "End", TabQueue, true}, {TabAgent, "a", TabAgent, false},
	} {
		if got, ok := NextTab(items, c.from, c.key); got != c.want || ok != c.ok {
			t.Errorf("%s %s: %s %v", c.from, c.key, got, ok)
		}
	}
}

func TestEveryStringTranslated(t *testing.T) {
	keys := []string{"dialpad.tabs", "dialpad.tab.agent", "dialpad.tab.queue", "dialpad.disabled", "dialpad.loading",
		"dialpad.agent.label", "dialpad.agent.placeholder", "dialpad.agent.loading", "dialpad.queue.label",
		"dialpad.queue.placeholder", "dialpad.queue.error", "dialpad.queue.none", "dialpad.queue.agents",
		"dialpad.queue.agents.one", "dialpad.queue.agents.none", "dialpad.results.none", "dialpad.results.count",
		"dialpad.results.one", "dialpad.results.more", "dialpad.availability.available", "dialpad.availability.on-call",
		"dialpad.availability.unavailable", "dialpad.availability.offline", "dialpad.warn.busy", "dialpad.warn.unavailable",
		"dialpad.blocked", "dialpad.call", "dialpad.call.agent", "dialpad.call.placing", "dialpad.status.placing",
		"dialpad.status.initiated", "dialpad.status.ringing", "dialpad.status.connected", "dialpad.status.declined",
		"dialpad.status.no-answer", "dialpad.status.canceled", "dialpad.status.ended", "dialpad.status.failed",
		"dialpad.status.failed.reason", "dialpad.status.unknown"}
	for _, lang := range i18n.Languages {
		for _, k := range keys {
			s := dialpadtext.T(lang, k)
			if s == k || s == "" {
				t.Errorf("%s: %s missing", lang, k)
			}
			if lang != i18n.EnUS && s == dialpadtext.T(i18n.EnUS, k) && !strings.Contains(k, "offline") {
				t.Errorf("%s: %s is the English text %q", lang, k, s)
			}
		}
	}
	_ = fmt.Sprint
}

func TestOptionIndex(t *testing.T) {
	if i, ok := OptionIndex("agent", OptionID("agent", 17)); !ok || i != 17 {
		t.Error("round trip")
	}
	for _, bad := range []string{"queue-opt-1", "agent-opt-", "agent-opt-x", "agent-opt--1", ""} {
		if _, ok := OptionIndex("agent", bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A queue call someone answered says who: "Connected to Bob Baker (Sales)".
func TestQueueCallSaysWhoAnswered(t *testing.T) {
	m := ready(both)
	m.Lang = i18n.EnUS
	m.SetCallStatus(frameproto.CallStatus{Status: "ringing", PeerName: "Sales"})
	if got := m.StatusText(); !strings.Contains(got, "Sales") || strings.Contains(got, "(") {
		t.Fatalf("ringing: %q", got)
	}
	m.SetCallStatus(frameproto.CallStatus{Status: "connected", PeerName: "Bob Baker", Via: "Sales"})
	if got := m.StatusText(); got != "Connected to Bob Baker (Sales)" {
		t.Errorf("connected: %q", got)
	}
}
