package ui

import (
	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/dialpad/search"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
)

// MaxRows bounds the options rendered in a listbox: the DOM stays small and a
// keystroke re-renders fast however large the directory is.
const MaxRows = 50

// Tab is one section of the dialpad.
type Tab string

const (
	TabAgent Tab = "agent"
	TabQueue Tab = "queue"
)

// StatusPlacing is the status between the click and the bridge's first report.
const StatusPlacing = "placing"

// Picker is the state of one section's combobox.
type Picker struct {
	Text  string
	Nav   ListNav
	Total int // matches in all (Rows holds at most MaxRows)
	// Selected is the chosen candidate's key (worker SID or queue name), "" for none.
	Selected string
}

// CallState is the call placed from this dialpad, if any.
type CallState struct {
	Kind   Tab
	Name   string
	Status string // "" when no call was placed; StatusPlacing; then the call's status
	Reason string
	// WorkerSid is the agent called from this dialpad ("" for a queue).
	WorkerSid string
}

// InProgress reports a call that was placed and has not reached a final status.
func (c CallState) InProgress() bool {
	return c.Status != "" && !call.Status(c.Status).Final()
}

// Model is the dialpad's whole state and every change to it, without go-app,
// so that it is tested natively. The components render it.
type Model struct {
	Ready bool // an init arrived
	Init  frameproto.Init
	Lang  string
	Tab   Tab

	workers      []frameproto.Worker // as last received, to rebuild on a new init
	folds        search.FoldCache
	dir          *search.Directory
	DirLoaded    bool
	queues       *search.Queues
	QueuesLoaded bool
	QueuesError  string

	Agent     Picker
	AgentRows []frameproto.Worker
	Queue     Picker
	QueueRows []frameproto.Queue

	Call CallState
	// Missed is the agent's missed calls, newest first (missed.go).
	Missed []frameproto.MissedCall
	// Panel is the participants panel's state, when Init.TaskSid makes the
	// frame one (panel.go).
	Panel PanelState
}

// NewModel is the state before the host's init.
func NewModel() *Model {
	return &Model{Lang: i18n.EnUS, dir: search.NewDirectory(nil, ""), queues: search.NewQueues(nil)}
}

// Receive applies one accepted host message; it reports whether it was understood.
func (m *Model) Receive(env frameproto.Envelope) bool {
	switch env.Type {
	case frameproto.TypeInit:
		var in frameproto.Init
		if env.Into(&in) != nil {
			return false
		}
		m.SetInit(in)
	case frameproto.TypeDirectory:
		var d frameproto.Directory
		if env.Into(&d) != nil {
			return false
		}
		m.SetDirectory(d.Workers)
	case frameproto.TypeQueues:
		var q frameproto.Queues
		if env.Into(&q) != nil {
			return false
		}
		m.SetQueues(q)
	case frameproto.TypeCallStatus:
		var s frameproto.CallStatus
		if env.Into(&s) != nil {
			return false
		}
		m.SetCallStatus(s)
	case frameproto.TypeMissedCalls:
		var l frameproto.MissedCalls
		if env.Into(&l) != nil {
			return false
		}
		m.SetMissedCalls(l.MissedCalls)
	default:
		return false
	}
	return true
}

// SetInit applies the host's configuration (it may be sent again on a change
// of theme or language).
func (m *Model) SetInit(in frameproto.Init) {
	selfChanged := in.SelfWorkerSid != m.Init.SelfWorkerSid
	if in.TaskSid != m.Init.TaskSid {
		m.Panel = PanelState{}
	}
	m.Ready = true
	m.Init = in
	m.Lang = i18n.Match(in.Language)
	if !m.Enabled(m.Tab) {
		m.Tab = TabAgent
		if !in.Features.CallAgent {
			m.Tab = TabQueue
		}
	}
	if selfChanged {
		m.dir = search.NewDirectoryCached(m.workers, in.SelfWorkerSid, &m.folds)
	}
	m.refreshAgents(false)
}

// Enabled reports whether a section's feature flag is on.
func (m *Model) Enabled(t Tab) bool {
	switch t {
	case TabAgent:
		return m.Init.Features.CallAgent
	case TabQueue:
		return m.Init.Features.CallQueue
	}
	return false
}

// Theme is "dark" or "light".
func (m *Model) Theme() string {
	if m.Init.Theme == "dark" {
		return "dark"
	}
	return "light"
}

// SelectTab shows a section (ignored when its flag is off).
func (m *Model) SelectTab(t Tab) {
	if m.Enabled(t) {
		m.Tab = t
	}
}

// SetDirectory replaces the workers.
func (m *Model) SetDirectory(ws []frameproto.Worker) {
	m.workers = ws
	m.dir = search.NewDirectoryCached(ws, m.Init.SelfWorkerSid, &m.folds)
	m.DirLoaded = true
	m.refreshAgents(false)
}

// SetQueues replaces the queues (or records why they could not be loaded).
func (m *Model) SetQueues(q frameproto.Queues) {
	m.QueuesLoaded = true
	m.QueuesError = q.Error
	m.queues = search.NewQueues(q.Queues)
	m.refreshQueues(false)
}

// refreshAgents recomputes the shown rows, keeps a selection only while the
// worker may still be offered, and opens the listbox when asked to.
func (m *Model) refreshAgents(open bool) {
	m.AgentRows, m.Agent.Total = m.searchAgents(m.Agent.Text)
	if m.Agent.Selected != "" {
		if w, ok := m.dir.Lookup(m.Agent.Selected); !ok || m.onCallAgent(w) {
			m.Agent.Selected = ""
		}
	}
	if open {
		m.Agent.Nav.Reset(len(m.AgentRows), true)
	} else if m.Agent.Nav.Open {
		m.Agent.Nav.Active = min(m.Agent.Nav.Active, len(m.AgentRows)-1)
		m.Agent.Nav.Open = len(m.AgentRows) > 0
	}
}

func (m *Model) refreshQueues(open bool) {
	m.QueueRows, m.Queue.Total = m.queues.Search(m.Queue.Text, MaxRows)
	if m.Queue.Selected != "" && !m.hasQueue(m.Queue.Selected) {
		m.Queue.Selected = ""
	}
	if open {
		m.Queue.Nav.Reset(len(m.QueueRows), true)
	} else if m.Queue.Nav.Open {
		m.Queue.Nav.Active = min(m.Queue.Nav.Active, len(m.QueueRows)-1)
		m.Queue.Nav.Open = len(m.QueueRows) > 0
	}
}

func (m *Model) hasQueue(name string) bool {
	_, ok := m.queueByName(name)
	return ok
}

func (m *Model) queueByName(name string) (frameproto.Queue, bool) {
	return m.queues.Lookup(name)
}

// Verdict applies the availability rules to a worker for this agent.
func (m *Model) Verdict(w frameproto.Worker) search.Verdict {
	return search.VerdictFor(w, m.Init.SelfWorkerSid, m.Init.Features.BlockBusy)
}

// AgentInput is the agent typing in the Call Agent box: new matches, the
// listbox open on the best one, and no selection unless the text is still
// exactly the selected worker's name.
func (m *Model) AgentInput(text string) {
	m.clearFinishedCall()
	m.Agent.Text = text
	if w, ok := m.SelectedWorker(); !ok || w.DisplayName() != text {
		m.Agent.Selected = ""
	}
	m.refreshAgents(search.Fold(text) != "")
}

// QueueInput is the agent typing in the Call Queue box.
func (m *Model) QueueInput(text string) {
	m.clearFinishedCall()
	m.Queue.Text = text
	if q, ok := m.SelectedQueue(); !ok || search.QueueName(q) != text {
		m.Queue.Selected = ""
	}
	m.refreshQueues(search.Fold(text) != "")
}

// AgentKey applies a key press in the Call Agent box.
func (m *Model) AgentKey(key string, alt bool) KeyAction {
	if m.enterPlaces(TabAgent, key, m.Agent) {
		return KeyPlace
	}
	a := m.Agent.Nav.Key(key, alt, len(m.AgentRows))
	switch a {
	case KeyChoose:
		if !m.PickAgent(m.Agent.Nav.Active) {
			return KeyIgnored // a blocked worker: stay on it, nothing chosen
		}
	case KeyClear:
		m.AgentInput("")
		m.Agent.Nav.Close()
	}
	return a
}

// QueueKey applies a key press in the Call Queue box.
func (m *Model) QueueKey(key string, alt bool) KeyAction {
	if m.enterPlaces(TabQueue, key, m.Queue) {
		return KeyPlace
	}
	a := m.Queue.Nav.Key(key, alt, len(m.QueueRows))
	switch a {
	case KeyChoose:
		m.PickQueue(m.Queue.Nav.Active)
	case KeyClear:
		m.QueueInput("")
		m.Queue.Nav.Close()
	}
	return a
}

// enterPlaces reports whether a key press places the call: Enter in a box
// whose listbox is closed on a chosen, callable target.
func (m *Model) enterPlaces(t Tab, key string, p Picker) bool {
	return key == "Enter" && !p.Nav.Open && p.Selected != "" && m.CanCall(t)
}

// PickAgent selects the i-th shown worker (a click or Enter); blocked workers
// cannot be selected.
func (m *Model) PickAgent(i int) bool {
	if i < 0 || i >= len(m.AgentRows) {
		return false
	}
	w := m.AgentRows[i]
	if !m.Verdict(w).Selectable() {
		return false
	}
	m.Agent.Selected = w.WorkerSid
	m.Agent.Text = w.DisplayName()
	m.Agent.Nav.Close()
	m.AgentRows, m.Agent.Total = m.searchAgents(m.Agent.Text)
	return true
}

// PickQueue selects the i-th shown queue.
func (m *Model) PickQueue(i int) bool {
	if i < 0 || i >= len(m.QueueRows) {
		return false
	}
	q := m.QueueRows[i]
	m.Queue.Selected = q.Name
	m.Queue.Text = search.QueueName(q)
	m.Queue.Nav.Close()
	m.QueueRows, m.Queue.Total = m.queues.Search(m.Queue.Text, MaxRows)
	return true
}

// CloseList hides a section's listbox (focus left the box).
func (m *Model) CloseList(t Tab) {
	if t == TabAgent {
		m.Agent.Nav.Close()
	} else {
		m.Queue.Nav.Close()
	}
}

// SelectedWorker is the chosen worker as the directory currently knows them.
func (m *Model) SelectedWorker() (frameproto.Worker, bool) {
	if m.Agent.Selected == "" {
		return frameproto.Worker{}, false
	}
	return m.dir.Lookup(m.Agent.Selected)
}

// SelectedQueue is the chosen queue.
func (m *Model) SelectedQueue() (frameproto.Queue, bool) {
	if m.Queue.Selected == "" {
		return frameproto.Queue{}, false
	}
	return m.queueByName(m.Queue.Selected)
}

// CanCall reports whether a section's Call button is enabled: something
// callable is selected and no call is being placed or under way (a
// participants panel places no calls).
func (m *Model) CanCall(t Tab) bool {
	if !m.Ready || !m.Enabled(t) || m.Call.InProgress() || m.IsPanel() {
		return false
	}
	if t == TabAgent {
		w, ok := m.SelectedWorker()
		if !ok {
			return false
		}
		return m.Verdict(w).Selectable()
	}
	_, ok := m.SelectedQueue()
	return ok
}

// PlaceCall turns a click on a section's Call button into the message for the
// bridge, once: the call is then in progress and the button disabled.
func (m *Model) PlaceCall(t Tab) (frameproto.PlaceCall, bool) {
	if !m.CanCall(t) {
		return frameproto.PlaceCall{}, false
	}
	var p frameproto.PlaceCall
	if t == TabAgent {
		w, _ := m.SelectedWorker()
		p = frameproto.PlaceCall{Kind: string(call.TargetAgent), WorkerSid: w.WorkerSid, ContactURI: w.ContactURI, Name: w.DisplayName()}
	} else {
		q, _ := m.SelectedQueue()
		p = frameproto.PlaceCall{Kind: string(call.TargetQueue), QueueName: q.Name, Name: search.QueueName(q)}
	}
	m.Call = CallState{Kind: t, Name: p.Name, Status: StatusPlacing, WorkerSid: p.WorkerSid}
	return p, true
}

// clearFinishedCall drops the message of a call that is over: a new search
// is a new call, and "did not answer" should not linger for minutes.
func (m *Model) clearFinishedCall() {
	if m.Call.Status != "" && !m.Call.InProgress() {
		m.Call = CallState{}
	}
}

// CallOffReason says why Call is off while a call is under way ("" otherwise).
func (m *Model) CallOffReason() string {
	if m.Ready && m.Call.InProgress() && m.Call.Status != StatusPlacing {
		if m.Call.Status == string(call.StatusConnected) && m.Call.Name != "" {
			return dialpadtext.F(m.Lang, "dialpad.call.busy_with", "name", m.Call.Name)
		}
		return dialpadtext.T(m.Lang, "dialpad.call.busy")
	}
	return ""
}

// NoMatchesText is the visible "no matches" of a section whose search found
// nothing ("" otherwise).
func (m *Model) NoMatchesText(t Tab) string {
	p := m.Agent
	if t == TabQueue {
		p = m.Queue
	}
	if search.Fold(p.Text) == "" || p.Total > 0 {
		return ""
	}
	return dialpadtext.T(m.Lang, "dialpad.results.none")
}

// SetCallStatus records the bridge's report on the call.
func (m *Model) SetCallStatus(s frameproto.CallStatus) {
	if s.Status == "" {
		return
	}
	m.Call.Status = s.Status
	m.Call.Reason = s.Reason
	if s.PeerName != "" {
		m.Call.Name = s.PeerName
		if s.Via != "" {
			// a queue call someone answered: who, and through which queue
			m.Call.Name = s.PeerName + " (" + s.Via + ")"
		}
	}
	if m.Call.Kind == "" {
		m.Call.Kind = m.Tab
	}
}

// StatusTone classes a status for display: "progress", "success", "error" or "neutral".
func StatusTone(status string) string {
	switch call.Status(status) {
	case call.StatusConnected:
		return "success"
	case call.StatusDeclined, call.StatusNoAnswer, call.StatusFailed:
		return "error"
	case call.StatusEnded, call.StatusCanceled:
		return "neutral"
	}
	return "progress"
}

// StatusText is the sentence shown for the call's status.
func (m *Model) StatusText() string {
	c := m.Call
	switch c.Status {
	case "":
		return ""
	case StatusPlacing, string(call.StatusInitiated), string(call.StatusRinging), string(call.StatusConnected),
		string(call.StatusDeclined), string(call.StatusNoAnswer), string(call.StatusCanceled), string(call.StatusEnded):
		return dialpadtext.F(m.Lang, "dialpad.status."+c.Status, "name", c.Name)
	case string(call.StatusFailed):
		if c.Reason != "" {
			return dialpadtext.F(m.Lang, "dialpad.status.failed.reason", "reason", c.Reason)
		}
		return dialpadtext.T(m.Lang, "dialpad.status.failed")
	}
	return dialpadtext.F(m.Lang, "dialpad.status.unknown", "status", c.Status)
}
