package twiliosim

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"

	"github.com/flex-internal-call/internal-call/server/twiliosim/flexapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// PageState is what the demo page shows; GET /state answers it.
type PageState struct {
	ProductBaseURL string                    `json:"product_base_url"`
	Outbound       *flexapi.OutboundCallFlow `json:"outbound"`
	Agents         []PageAgent               `json:"agents"`
	Queues         []string                  `json:"queues"`
	Tasks          []PageTask                `json:"tasks"`
	Conferences    []PageConference          `json:"conferences"`
}

// PageAgent is a worker on the page.
type PageAgent struct {
	Name       string `json:"name"`
	FullName   string `json:"full_name"`
	ContactURI string `json:"contact_uri"`
	WorkerSid  string `json:"worker_sid"`
	Activity   string `json:"activity"`
	Available  bool   `json:"available"`
	// Desk: the agent's desk is open (it follows their events as theirs).
	// The page then only observes the agent: the desk acts for them.
	Desk bool `json:"desk"`
}

// PageTask is a task on the page, newest first, with its internal-call state.
type PageTask struct {
	Sid        string        `json:"sid"`
	Status     string        `json:"status"`
	Queue      string        `json:"queue"`
	To         string        `json:"to"`
	From       string        `json:"from"`
	ToName     string        `json:"to_name"`   // the agent's full name, else To
	FromName   string        `json:"from_name"` // the agent's full name, else From
	Role       string        `json:"role"`
	CallStatus string        `json:"call_status"`
	Reason     string        `json:"reason"`
	Holders    []PageHolding `json:"holders"`
	Updated    string        `json:"updated"`
}

// PageHolding is a reservation of a task by an agent.
type PageHolding struct {
	Agent          string `json:"agent"`
	ReservationSid string `json:"reservation_sid"`
	Status         string `json:"status"`
}

// PageConference is a conference with who is in it, and who took part.
type PageConference struct {
	Sid          string            `json:"sid"`
	FriendlyName string            `json:"friendly_name"`
	Status       string            `json:"status"`
	Participants []PageParticipant `json:"participants"`
	// Parties name everyone who joined, in the order they joined: agents by
	// their full name, other parties by their address.
	Parties []string `json:"parties"`
	Updated string   `json:"updated"`
}

// PageParticipant is one leg of a conference.
type PageParticipant struct {
	CallSid string `json:"call_sid"`
	Who     string `json:"who"`  // the address the leg was dialled to
	Name    string `json:"name"` // the agent's full name, else Who
	Hold    bool   `json:"hold"`
	Muted   bool   `json:"muted"`
}

// PageFinished is how many finished tasks and ended conferences the page
// keeps (the newest); open ones are all shown.
const PageFinished = 20

// State collects the page's view of the simulator.
func (s *Sim) State() PageState {
	st := PageState{ProductBaseURL: s.opts.ProductBaseURL, Agents: []PageAgent{}, Queues: []string{},
		Tasks: []PageTask{}, Conferences: []PageConference{}}
	if f, ok := s.Flex.OutboundCallFlow(); ok {
		st.Outbound = &f
	}
	wsSid, _ := s.Flex.Configuration()["taskrouter_workspace_sid"].(string)
	for _, ws := range s.TaskRouter.Snapshot().Workspaces {
		if ws.Workspace.Sid == wsSid {
			s.workspaceState(&st, ws)
		}
	}
	s.conferenceState(&st)
	return st
}

// nameOf is how the page names an address: the full name (else the friendly
// name) of the agent it belongs to, else the address itself.
func (st *PageState) nameOf(address string) string {
	for _, a := range st.Agents {
		if a.ContactURI != "" && a.ContactURI == address {
			if a.FullName != "" {
				return a.FullName
			}
			return a.Name
		}
	}
	return address
}

func (s *Sim) workspaceState(st *PageState, ws taskrouter.WorkspaceState) {
	names := map[string]string{}
	for _, w := range ws.Workers {
		var attrs struct {
			FullName   string `json:"full_name"`
			ContactURI string `json:"contact_uri"`
		}
		_ = json.Unmarshal([]byte(w.Attributes), &attrs)
		names[w.Sid] = w.FriendlyName
		st.Agents = append(st.Agents, PageAgent{Name: w.FriendlyName, FullName: attrs.FullName,
			ContactURI: attrs.ContactURI, WorkerSid: w.Sid, Activity: w.ActivityName, Available: w.Available,
			Desk: s.Agents.DeskOpen(w.Sid)})
	}
	for _, q := range ws.TaskQueues {
		st.Queues = append(st.Queues, q.FriendlyName)
	}
	holders := map[string][]PageHolding{}
	for _, r := range ws.Reservations {
		holders[r.TaskSid] = append(holders[r.TaskSid], PageHolding{Agent: names[r.WorkerSid],
			ReservationSid: r.Sid, Status: r.ReservationStatus})
	}
	tasks := slices.Clone(ws.Tasks)
	slices.Reverse(tasks)
	finished := 0
	for _, t := range tasks {
		if t.AssignmentStatus == "completed" || t.AssignmentStatus == "canceled" {
			if finished++; finished > PageFinished {
				continue
			}
		}
		a := s.opts.DescribeTask(t.Attributes)
		pt := PageTask{Sid: t.Sid, Status: t.AssignmentStatus, To: a.To, From: a.From,
			ToName: st.nameOf(a.To), FromName: st.nameOf(a.From),
			Role: a.Role, CallStatus: a.CallStatus, Reason: a.Reason,
			Holders: holders[t.Sid], Updated: t.DateUpdated}
		if t.TaskQueueFriendlyName != nil {
			pt.Queue = *t.TaskQueueFriendlyName
		}
		if pt.Holders == nil {
			pt.Holders = []PageHolding{}
		}
		st.Tasks = append(st.Tasks, pt)
	}
}

func (s *Sim) conferenceState(st *PageState) {
	who := map[string]string{}
	for _, c := range s.Voice.Calls() {
		who[c.Sid] = c.To
	}
	var live, ended []voice.Conference
	for _, cf := range s.Voice.Conferences() {
		if cf.Status == "completed" {
			ended = append(ended, cf)
		} else {
			live = append(live, cf)
		}
	}
	slices.Reverse(ended)
	for _, cf := range append(live, ended[:min(len(ended), PageFinished)]...) {
		pc := PageConference{Sid: cf.Sid, FriendlyName: cf.FriendlyName, Status: cf.Status,
			Participants: []PageParticipant{}, Parties: []string{}, Updated: cf.DateUpdated}
		for _, p := range cf.Participants {
			pc.Participants = append(pc.Participants, PageParticipant{CallSid: p.CallSid, Who: who[p.CallSid],
				Name: st.nameOf(who[p.CallSid]), Hold: p.Hold, Muted: p.Muted})
		}
		for _, address := range s.parties.of(cf.Sid) {
			pc.Parties = append(pc.Parties, st.nameOf(address))
		}
		st.Conferences = append(st.Conferences, pc)
	}
}

// partyBook remembers who joined each conference (the simulated Twilio
// forgets a participant once it leaves), for the newest conferences.
type partyBook struct {
	mu     sync.Mutex
	byConf map[string][]string // conference SID → addresses, in join order
	order  []string            // conference SIDs, oldest first
}

// keptConferences bounds the book: more than the page shows.
const keptConferences = 4 * PageFinished

func newPartyBook() *partyBook { return &partyBook{byConf: map[string][]string{}} }

// record notes the party of a participant-join.
func (b *partyBook) record(ev voice.Event) {
	if ev.Type != "participant-join" || ev.Conference == nil || ev.Call == nil || ev.Call.To == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	sid := ev.Conference.Sid
	parties, known := b.byConf[sid]
	if slices.Contains(parties, ev.Call.To) {
		return
	}
	if !known {
		b.order = append(b.order, sid)
		if len(b.order) > keptConferences {
			delete(b.byConf, b.order[0])
			b.order = b.order[1:]
		}
	}
	b.byConf[sid] = append(parties, ev.Call.To)
}

func (b *partyBook) of(confSid string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.byConf[confSid])
}

func (s *Sim) serveState(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	rest.WriteJSON(w, http.StatusOK, s.State())
}
