package ui

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/dialpad/search"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
)

// The participants panel: when the host's init names a task (Init.TaskSid)
// the frame shows who is on that internal call and lets the agent transfer
// it, consult, add a number, and hold, resume or remove a party. Every call
// of the server goes through the bridge as an api-request; the list is asked
// for again after every answer, often while something rings (that is how a
// transfer nobody answers reaches the agent who started it) and rarely
// otherwise.

// Poll delays of the participants list.
const (
	PollRinging = 2 * time.Second  // a party rings or a transfer is in progress
	PollIdle    = 15 * time.Second // otherwise
)

// PanelScreen is what the panel shows below the list.
type PanelScreen int

const (
	ScreenList   PanelScreen = iota // the list and its buttons
	ScreenPicker                    // the agent/queue picker of a transfer
	ScreenAdd                       // the number to add
)

// PanelAction is what one of the panel's API requests does.
type PanelAction int

const (
	ActList PanelAction = iota
	ActTransfer
	ActAdd
	ActRemove
	ActHold
	ActUnhold
	ActComplete
	ActCancel
)

// PanelRequest is one API request of the panel, before the component gives
// it an id: the api-request's method, path (below the call's task) and body.
type PanelRequest struct {
	Action PanelAction
	Method string
	Path   string
	Body   json.RawMessage
}

// PanelState is the participants panel's part of the model.
type PanelState struct {
	Loaded   bool // a list arrived
	Parties  []call.APIParticipant
	Transfer *call.APITransferState
	Screen   PanelScreen
	Number   string // the number being typed on ScreenAdd
	Error    string
	// listError marks an Error of the list's GET, which the next good list
	// clears; an action's error stays until the agent does something else.
	listError bool
	listing   bool // a GET is in flight
	again     bool // ask again as soon as that GET is answered
	acting    bool // an action is in flight: one at a time
	// done holds the labels of parties whose outcome (declined, no answer…)
	// the agent has seen: a new transfer or number started after them.
	done map[string]bool
	// onCall is the display names of the agents ringing or on the call,
	// whom the picker does not offer.
	onCall map[string]bool
	you    call.APIParticipant // the agent's own party (You false: not listed)
	live   int                 // parties ringing or on the call
}

// IsPanel reports whether the frame is a call's participants panel.
func (m *Model) IsPanel() bool { return m.Init.TaskSid != "" }

// ListRequest is the GET of the participants list, unless one is in flight
// (then its answer asks again at once).
func (m *Model) ListRequest() (PanelRequest, bool) {
	p := &m.Panel
	if !m.IsPanel() {
		return PanelRequest{}, false
	}
	if p.listing {
		p.again = true
		return PanelRequest{}, false
	}
	p.listing, p.again = true, false
	return PanelRequest{Action: ActList, Method: "GET", Path: call.PathParticipants}, true
}

// PollDelay is how long to wait before asking for the list again.
func (m *Model) PollDelay() time.Duration {
	if m.Panel.Transfer != nil {
		return PollRinging
	}
	for _, p := range m.Panel.Parties {
		if p.Status == call.PartyRinging {
			return PollRinging
		}
	}
	return PollIdle
}

// PanelAnswer applies the answer to a request and reports whether to ask
// for the list now (after every action, and after a list asked for again
// while it was in flight); otherwise the next list is due in PollDelay.
func (m *Model) PanelAnswer(r PanelRequest, a frameproto.APIAnswer) bool {
	p := &m.Panel
	good := a.Status >= 200 && a.Status < 300
	if r.Action != ActList {
		p.acting = false
		if !good {
			m.setPanelError(answerError(m.Lang, a), false)
			return true
		}
		if r.Action == ActTransfer || r.Action == ActAdd {
			m.closeScreen()
		}
		return true
	}
	p.listing = false
	var l call.APIParticipants
	switch {
	case !good:
		m.setPanelError(answerError(m.Lang, a), true)
	case json.Unmarshal(a.Body, &l) != nil:
		m.setPanelError(dialpadtext.T(m.Lang, "dialpad.panel.error.answer"), true)
	default:
		m.setParticipants(l)
		if p.listError {
			p.Error, p.listError = "", false
		}
	}
	return p.again
}

func (m *Model) setPanelError(s string, ofList bool) {
	// A failed poll does not hide an action's error the agent may not have read.
	if ofList && m.Panel.Error != "" && !m.Panel.listError {
		return
	}
	m.Panel.Error, m.Panel.listError = s, ofList
}

// answerError is the agent-readable reason of a failed request.
func answerError(lang string, a frameproto.APIAnswer) string {
	switch {
	case a.Error != "":
		return a.Error
	case a.Status == 0:
		return dialpadtext.T(lang, "dialpad.panel.error.unreachable")
	}
	return dialpadtext.F(lang, "dialpad.panel.error.status", "status", strconv.Itoa(a.Status))
}

// setParticipants records a list: who is on the call, whom the picker must
// not offer, and whether the agent can still start anything.
func (m *Model) setParticipants(l call.APIParticipants) {
	p := &m.Panel
	p.Loaded, p.Parties, p.Transfer = true, l.Participants, l.Transfer
	p.onCall, p.you, p.live = map[string]bool{}, call.APIParticipant{}, 0
	for _, x := range l.Participants {
		if x.You {
			p.you = x
		}
		if !x.Status.Final() {
			p.live++
			if x.Kind == call.PartyAgent {
				p.onCall[x.Name] = true
			}
		}
	}
	m.refreshAgents(false)
	if !m.CanStart() {
		p.Screen = ScreenList
	}
}

// You is the agent's own party, if the list has it.
func (m *Model) You() (call.APIParticipant, bool) { return m.Panel.you, m.Panel.you.You }

func (m *Model) party(label string) (call.APIParticipant, bool) {
	for _, x := range m.Panel.Parties {
		if x.Label == label {
			return x, true
		}
	}
	return call.APIParticipant{}, false
}

// CanStart reports whether Transfer… and Add number… are offered: the agent
// is on the call and no transfer is in progress.
func (m *Model) CanStart() bool {
	you, ok := m.You()
	return ok && you.Status == call.PartyJoined && m.Panel.Transfer == nil
}

// TransferByYou reports a transfer in progress that the agent started: only
// they may complete or cancel it.
func (m *Model) TransferByYou() bool {
	you, ok := m.You()
	return ok && m.Panel.Transfer != nil && m.Panel.Transfer.By == you.Label
}

// CanComplete reports whether Complete transfer is enabled: a consult the
// agent started, whose target joined.
func (m *Model) CanComplete() bool {
	t := m.Panel.Transfer
	return m.TransferByYou() && t.Mode == call.TransferWarm && t.Status == call.PartyJoined
}

// TransferText is the status line of the transfer in progress ("" for none).
func (m *Model) TransferText() string {
	t := m.Panel.Transfer
	if t == nil {
		return ""
	}
	x, _ := m.party(t.Label)
	if t.Status == call.PartyJoined {
		return dialpadtext.F(m.Lang, "dialpad.panel.transfer.joined", "name", x.Name)
	}
	return dialpadtext.F(m.Lang, "dialpad.panel.transfer.ringing", "name", x.Name)
}

// OpenScreen shows the transfer picker or the number form (when the agent
// may start one) or the list.
func (m *Model) OpenScreen(s PanelScreen) {
	if s == ScreenList {
		m.closeScreen()
	} else if m.CanStart() {
		m.Panel.Screen = s
	}
}

func (m *Model) closeScreen() {
	m.Panel.Screen = ScreenList
	m.Panel.Number = ""
	m.AgentInput("")
	m.QueueInput("")
	m.Agent.Nav.Close()
	m.Queue.Nav.Close()
}

// SetNumber is the agent typing the number to add.
func (m *Model) SetNumber(s string) { m.Panel.Number = s }

// onCallAgent reports whether a worker is already ringing or on the call
// (matched by display name, the only name the list gives an agent).
func (m *Model) onCallAgent(w frameproto.Worker) bool { return m.Panel.onCall[w.DisplayName()] }

// searchAgents is the directory's search without the agents on the call.
// The total may still count one of them that ranks beyond the shown rows.
func (m *Model) searchAgents(text string) ([]frameproto.Worker, int) {
	n := len(m.Panel.onCall)
	rows, total := m.dir.Search(text, MaxRows+n)
	if n > 0 {
		kept := rows[:0]
		for _, w := range rows {
			if !m.onCallAgent(w) {
				kept = append(kept, w)
			}
		}
		total -= len(rows) - len(kept)
		rows = kept
	}
	return rows[:min(len(rows), MaxRows)], total
}

// CanTransfer reports whether a picker's Transfer and Consult are enabled.
func (m *Model) CanTransfer(t Tab) bool {
	if !m.Ready || !m.Enabled(t) || !m.CanStart() || m.Panel.acting {
		return false
	}
	if t == TabAgent {
		w, ok := m.SelectedWorker()
		return ok && m.Verdict(w).Selectable() && !m.onCallAgent(w)
	}
	_, ok := m.SelectedQueue()
	return ok
}

// TransferTo is a click on Transfer (cold) or Consult (warm) in a picker.
func (m *Model) TransferTo(t Tab, mode call.TransferMode) (PanelRequest, bool) {
	if !m.CanTransfer(t) {
		return PanelRequest{}, false
	}
	body := call.APITransfer{Mode: mode}
	if t == TabAgent {
		w, _ := m.SelectedWorker()
		body.Target, body.Name = w.ContactURI, w.DisplayName()
	} else {
		q, _ := m.SelectedQueue()
		body.Target, body.Name = call.QueueURIPrefix+q.Name, search.QueueName(q)
	}
	return m.act(ActTransfer, "POST", call.PathTransfer, body)
}

// AddNumber is a click on Add: the typed number without its spaces, dashes,
// dots and brackets (the server checks the rest).
func (m *Model) AddNumber() (PanelRequest, bool) {
	n := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" -.()", r) {
			return -1
		}
		return r
	}, m.Panel.Number)
	if n == "" || !m.CanStart() || m.Panel.acting {
		return PanelRequest{}, false
	}
	return m.act(ActAdd, "POST", call.PathParticipants, call.APIAddParticipant{Number: n})
}

// PartyAction is a click on a party's Hold, Resume ("unhold") or Remove,
// or on Complete or Cancel of the agent's transfer (label ""): the request,
// unless the action is not offered now.
func (m *Model) PartyAction(action, label string) (PanelRequest, bool) {
	x, _ := m.party(label)
	path := call.PathParticipants + "/" + label
	a, method, ok := ActRemove, "DELETE", canRemove(x)
	switch action {
	case "hold", "unhold":
		a, method, path = ActHold, "POST", path+"/"+action
		if action == "unhold" {
			a = ActUnhold
		}
		ok = m.canHold(x) && x.Hold == (a == ActUnhold)
	case "complete":
		a, method, path, ok = ActComplete, "POST", call.PathTransferComplete, m.CanComplete()
	case "cancel":
		a, method, path, ok = ActCancel, "POST", call.PathTransferCancel, m.TransferByYou()
	case "remove":
	default:
		ok = false
	}
	if !ok || m.Panel.acting {
		return PanelRequest{}, false
	}
	return m.act(a, method, path, nil)
}

// act is a request the agent asked for: one at a time, and the outcomes
// shown so far are put away when it adds someone to the call.
func (m *Model) act(a PanelAction, method, path string, body any) (PanelRequest, bool) {
	r := PanelRequest{Action: a, Method: method, Path: path}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return PanelRequest{}, false
		}
		r.Body = b
	}
	p := &m.Panel
	p.acting = true
	p.Error, p.listError = "", false
	if a == ActTransfer || a == ActAdd {
		if p.done == nil {
			p.done = map[string]bool{}
		}
		for _, x := range p.Parties {
			if x.Status.Final() {
				p.done[x.Label] = true
			}
		}
	}
	return r, true
}

// canHold: another party on the call, on a call of three or more (on two,
// Flex's own hold button does it).
func (m *Model) canHold(x call.APIParticipant) bool {
	return !x.You && x.Status == call.PartyJoined && m.Panel.live >= 3
}

func canRemove(x call.APIParticipant) bool {
	return x.Kind == call.PartyExternal && !x.Status.Final()
}

// PanelRow is one line of the participants list.
type PanelRow struct {
	Label  string
	Name   string // with "(you)" for the agent
	Status call.PartyStatus
	Hold   bool
	// Text is "Ringing…" or "On hold", or for a party that ended without
	// joining the whole line ("Carol Chen declined").
	Text      string
	Outcome   bool
	CanHold   bool // Hold or Resume, as Hold says
	CanRemove bool
}

// PanelRows are the parties ringing or on the call, and the outcomes of
// those who never joined that the agent has not put away; parties who left
// are not listed.
func (m *Model) PanelRows() []PanelRow {
	var rows []PanelRow
	for _, x := range m.Panel.Parties {
		r := PanelRow{Label: x.Label, Name: x.Name, Status: x.Status, Hold: x.Hold}
		switch x.Status {
		case call.PartyLeft:
			continue
		case call.PartyRinging:
			r.Text = dialpadtext.T(m.Lang, "dialpad.panel.ringing")
		case call.PartyJoined:
			if x.Hold {
				r.Text = dialpadtext.T(m.Lang, "dialpad.panel.onhold")
			}
		default:
			if m.Panel.done[x.Label] {
				continue
			}
			r.Outcome, r.Text = true, m.outcomeText(x)
		}
		if x.You {
			r.Name = dialpadtext.F(m.Lang, "dialpad.panel.you", "name", x.Name)
		}
		r.CanHold, r.CanRemove = m.canHold(x), canRemove(x)
		rows = append(rows, r)
	}
	return rows
}

// outcomeText is the line of a party that ended without joining.
func (m *Model) outcomeText(x call.APIParticipant) string {
	key := "dialpad.panel.outcome." + string(x.Status)
	switch x.Status {
	case call.PartyDeclined, call.PartyNoAnswer, call.PartyCanceled:
	default: // failed, or a status of a newer server
		key = "dialpad.panel.outcome.failed"
		if x.Reason != "" {
			return dialpadtext.F(m.Lang, key+".reason", "name", x.Name, "reason", x.Reason)
		}
	}
	return dialpadtext.F(m.Lang, key, "name", x.Name)
}
