package taskrouter

import (
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type workspace struct {
	sid, name                        string
	defaultActivity, timeoutActivity string
	eventCallbackURL, eventsFilter   *string
	multiTask                        bool
	prioritizeQueueOrder             string
	created, updated                 time.Time

	activities   coll[*activity]
	workers      coll[*worker]
	channels     coll[*taskChannel]
	queues       coll[*taskQueue]
	workflows    coll[*workflow]
	tasks        coll[*task]
	reservations coll[*reservation]
}

// path is the workspace's REST path; url the same on the real host.
func (ws *workspace) path() string { return "/v1/Workspaces/" + ws.sid }
func (ws *workspace) url() string  { return hostURL + ws.path() }

// CreateWorkspace creates a workspace with Twilio's default activities and task
// channels. Template "FIFO" also adds a sample queue and workflow.
func (s *Service) CreateWorkspace(p WorkspaceParams) (Workspace, error) {
	if strings.TrimSpace(p.FriendlyName) == "" {
		return Workspace{}, errInvalid("Missing required parameter FriendlyName")
	}
	if p.Template != "" && p.Template != "FIFO" && p.Template != "NONE" {
		return Workspace{}, errInvalid("Invalid Template %q", p.Template)
	}
	if p.PrioritizeQueueOrder == "" {
		p.PrioritizeQueueOrder = "FIFO"
	} else if p.PrioritizeQueueOrder != "FIFO" && p.PrioritizeQueueOrder != "LIFO" {
		return Workspace{}, errInvalid("Invalid PrioritizeQueueOrder %q", p.PrioritizeQueueOrder)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ws := range s.workspaces.all() {
		if strings.EqualFold(ws.name, p.FriendlyName) {
			return Workspace{}, errConflict("A Workspace with FriendlyName %q already exists", p.FriendlyName)
		}
	}
	now := s.now()
	ws := &workspace{
		sid: rest.NewSID("WS"), name: p.FriendlyName, multiTask: true,
		prioritizeQueueOrder: p.PrioritizeQueueOrder, created: now, updated: now,
		eventCallbackURL: optStr(p.EventCallbackURL), eventsFilter: optStr(p.EventsFilter),
	}
	if p.MultiTaskEnabled != nil {
		ws.multiTask = *p.MultiTaskEnabled
	}
	for _, a := range []struct {
		name      string
		available bool
	}{{"Offline", false}, {"Available", true}, {"Unavailable", false}, {"Break", false}} {
		act := &activity{sid: rest.NewSID("WA"), name: a.name, available: a.available, created: now, updated: now}
		ws.activities.add(act.sid, act)
		if a.name == "Offline" {
			ws.defaultActivity, ws.timeoutActivity = act.sid, act.sid
		}
	}
	for _, c := range [][2]string{{"default", "Default"}, {"voice", "Voice"}, {"chat", "Chat"},
		{"sms", "SMS"}, {"video", "Video"}, {"email", "Email"}} {
		ch := &taskChannel{sid: rest.NewSID("TC"), unique: c[0], name: c[1], created: now, updated: now}
		ws.channels.add(ch.sid, ch)
	}
	s.workspaces.add(ws.sid, ws)
	if p.Template == "FIFO" {
		q := &taskQueue{sid: rest.NewSID("WQ"), name: "Sample Queue", target: "1==1", order: "FIFO",
			maxReserved: 1, created: now, updated: now}
		q.targetExpr, _ = compileExpr(q.target)
		ws.queues.add(q.sid, q)
		conf := `{"task_routing":{"filters":[],"default_filter":{"queue":"` + q.sid + `"}}}`
		wf := &workflow{sid: rest.NewSID("WW"), name: "Default Fifo Workflow", config: conf, created: now, updated: now}
		wf.cfg, _ = parseWorkflowConfig(ws, conf)
		ws.workflows.add(wf.sid, wf)
	}
	return s.workspaceView(ws), nil
}

// Workspace fetches a workspace.
func (s *Service) Workspace(sid string) (Workspace, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(sid)
	if err != nil {
		return Workspace{}, err
	}
	return s.workspaceView(ws), nil
}

// Workspaces lists workspaces in creation order.
func (s *Service) Workspaces() []Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Workspace
	for _, ws := range s.workspaces.all() {
		out = append(out, s.workspaceView(ws))
	}
	return out
}

// UpdateWorkspace changes a workspace.
func (s *Service) UpdateWorkspace(sid string, u WorkspaceUpdate) (Workspace, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(sid)
	if err != nil {
		return Workspace{}, err
	}
	for _, a := range []*string{u.DefaultActivitySid, u.TimeoutActivitySid} {
		if a != nil {
			if _, ok := ws.activities.get(*a); !ok {
				return Workspace{}, errInvalid("Activity %s not found in workspace", *a)
			}
		}
	}
	if u.FriendlyName != nil {
		if strings.TrimSpace(*u.FriendlyName) == "" {
			return Workspace{}, errInvalid("FriendlyName must not be empty")
		}
		ws.name = *u.FriendlyName
	}
	if u.DefaultActivitySid != nil {
		ws.defaultActivity = *u.DefaultActivitySid
	}
	if u.TimeoutActivitySid != nil {
		ws.timeoutActivity = *u.TimeoutActivitySid
	}
	if u.MultiTaskEnabled != nil {
		ws.multiTask = *u.MultiTaskEnabled
	}
	if u.EventCallbackURL != nil {
		ws.eventCallbackURL = optStr(*u.EventCallbackURL)
	}
	if u.EventsFilter != nil {
		ws.eventsFilter = optStr(*u.EventsFilter)
	}
	ws.updated = s.now()
	return s.workspaceView(ws), nil
}

// deleteWorkspace removes a workspace and stops its timers.
func (s *Service) deleteWorkspace(sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(sid)
	if err != nil {
		return err
	}
	for _, t := range ws.tasks.all() {
		s.stopTimers(t)
	}
	for _, r := range ws.reservations.all() {
		r.stopTimer()
	}
	s.workspaces.del(sid)
	return nil
}

// ws finds a workspace; the caller holds s.mu.
func (s *Service) ws(sid string) (*workspace, error) {
	ws, ok := s.workspaces.get(sid)
	if !ok {
		return nil, errNotFound("/v1/Workspaces/" + sid)
	}
	return ws, nil
}

func (s *Service) workspaceView(ws *workspace) Workspace {
	def, _ := ws.activities.get(ws.defaultActivity)
	to, _ := ws.activities.get(ws.timeoutActivity)
	u := ws.url()
	v := Workspace{
		AccountSid: s.cfg.AccountSid, Sid: ws.sid, FriendlyName: ws.name,
		DefaultActivitySid: ws.defaultActivity, TimeoutActivitySid: ws.timeoutActivity,
		EventCallbackURL: ws.eventCallbackURL, EventsFilter: ws.eventsFilter,
		MultiTaskEnabled: ws.multiTask, PrioritizeQueueOrder: ws.prioritizeQueueOrder,
		DateCreated: ts(ws.created), DateUpdated: ts(ws.updated), URL: u,
		Links: map[string]string{
			"activities":    u + "/Activities",
			"workers":       u + "/Workers",
			"task_queues":   u + "/TaskQueues",
			"workflows":     u + "/Workflows",
			"tasks":         u + "/Tasks",
			"task_channels": u + "/TaskChannels",
			"events":        u + "/Events",
			"statistics":    u + "/Statistics",
		},
	}
	if def != nil {
		v.DefaultActivityName = def.name
	}
	if to != nil {
		v.TimeoutActivityName = to.name
	}
	return v
}
