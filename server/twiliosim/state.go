package twiliosim

import (
	"encoding/json"
	"net/http"
	"slices"

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
}

// PageTask is a task on the page, newest first, with its internal-call state.
type PageTask struct {
	Sid        string        `json:"sid"`
	Status     string        `json:"status"`
	Queue      string        `json:"queue"`
	To         string        `json:"to"`
	From       string        `json:"from"`
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

// PageConference is a conference with who is in it.
type PageConference struct {
	Sid          string            `json:"sid"`
	FriendlyName string            `json:"friendly_name"`
	Status       string            `json:"status"`
	Participants []PageParticipant `json:"participants"`
}

// PageParticipant is one leg of a conference.
type PageParticipant struct {
	CallSid string `json:"call_sid"`
	Who     string `json:"who"`
	Hold    bool   `json:"hold"`
	Muted   bool   `json:"muted"`
}

const pageTasks, pageEndedConferences = 30, 5

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
			ContactURI: attrs.ContactURI, WorkerSid: w.Sid, Activity: w.ActivityName, Available: w.Available})
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
	for _, t := range tasks[:min(len(tasks), pageTasks)] {
		a := s.opts.DescribeTask(t.Attributes)
		pt := PageTask{Sid: t.Sid, Status: t.AssignmentStatus, To: a.To, From: a.From,
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
	for _, cf := range append(live, ended[:min(len(ended), pageEndedConferences)]...) {
		pc := PageConference{Sid: cf.Sid, FriendlyName: cf.FriendlyName, Status: cf.Status, Participants: []PageParticipant{}}
		for _, p := range cf.Participants {
			pc.Participants = append(pc.Participants, PageParticipant{CallSid: p.CallSid, Who: who[p.CallSid],
				Hold: p.Hold, Muted: p.Muted})
		}
		st.Conferences = append(st.Conferences, pc)
	}
}

func (s *Sim) serveState(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	rest.WriteJSON(w, http.StatusOK, s.State())
}
