package twiliosim

import (
	"encoding/json"
	"fmt"

	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// Names of the seeded resources.
const (
	SeedWorkspace        = "Flex Task Assignment"
	SeedWorkflowAnyone   = "Assign to Anyone"
	SeedWorkflowInternal = "Internal Call"
	SeedQueueEveryone    = "Everyone"
	SeedQueueSales       = "Sales"
	SeedQueueSupport     = "Support"
	SeedCallerID         = "+15005550006"
	seedAgentFilterName  = "Agent"
	seedAgentPriority    = 1000
)

// seedActivities are Flex's activities; only Available makes a worker routable.
var seedActivities = []struct {
	name      string
	available bool
}{{"Available", true}, {"Unavailable", false}, {"Break", false}, {"Offline", false}}

// SeedAgent describes one seeded agent.
type SeedAgent struct {
	Name       string // worker friendly name, the login name
	FullName   string // empty for erin: Flex allows workers without one
	ContactURI string
	Skills     []string
	Activity   string
	WorkerSid  string // set by Seed
}

// seedAgents are the demo's agents. Alice and Bob take Sales calls (so Alice
// calling Sales shows she is not offered her own call), Carol Support; Dave is
// offline and Erin has no full name.
var seedAgents = []SeedAgent{
	{Name: "alice", FullName: "Alice Andrews", ContactURI: "client:alice", Skills: []string{"sales"}, Activity: "Available"},
	{Name: "bob", FullName: "Bob Baker", ContactURI: "client:bob", Skills: []string{"sales"}, Activity: "Available"},
	{Name: "carol", FullName: "Carol Chen", ContactURI: "client:carol", Skills: []string{"support"}, Activity: "Available"},
	{Name: "dave", FullName: "Dave Diaz", ContactURI: "client:dave", Skills: []string{}, Activity: "Offline"},
	{Name: "erin", ContactURI: "client:erin", Skills: []string{}, Activity: "Available"},
}

// Seeded is everything Seed created.
type Seeded struct {
	WorkspaceSid string
	// Activities, Queues and Workflows map friendly names to SIDs.
	Activities map[string]string
	Queues     map[string]string
	Workflows  map[string]string
	// AssignToAnyone is outbound_call_flows.default's workflow (the callers'
	// tasks); InternalCall is TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID.
	AssignToAnyoneWorkflowSid string
	InternalCallWorkflowSid   string
	EveryoneQueueSid          string
	CallerID                  string
	Agents                    []SeedAgent
}

// Agent returns the seeded agent with the login name, and whether there is one.
func (sd Seeded) Agent(name string) (SeedAgent, bool) {
	for _, a := range sd.Agents {
		if a.Name == name {
			return a, true
		}
	}
	return SeedAgent{}, false
}

// Seeded returns what Seed created, and false before Seed ran.
func (s *Sim) Seeded() (Seeded, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded == nil {
		return Seeded{}, false
	}
	return *s.seeded, true
}

// Seed creates the demo contact centre: the Flex workspace with its
// activities, the agents, the queues, the two workflows and the Flex
// configuration (outbound calls and the internal-call feature enabled). It
// runs once per Sim.
func (s *Sim) Seed() (Seeded, error) { return s.seedOnce(true) }

// SeedBare creates the contact centre of a Flex account nobody has set up
// Internal Call on: the workspace, activities, agents and queues, Flex's
// "Assign to Anyone" workflow and the Flex configuration naming them, but no
// "Internal Call" workflow, no outbound_call_flows, no feature flags and no
// plugin. It runs once per Sim, instead of Seed.
func (s *Sim) SeedBare() (Seeded, error) { return s.seedOnce(false) }

func (s *Sim) seedOnce(internalCall bool) (Seeded, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded != nil {
		return Seeded{}, fmt.Errorf("twiliosim: already seeded")
	}
	sd, err := s.seed(internalCall)
	if err != nil {
		return Seeded{}, fmt.Errorf("twiliosim: seed: %w", err)
	}
	s.seeded = &sd
	return sd, nil
}

func (s *Sim) seed(internalCall bool) (Seeded, error) {
	tr := s.TaskRouter
	sd := Seeded{Activities: map[string]string{}, Queues: map[string]string{}, Workflows: map[string]string{},
		CallerID: SeedCallerID}
	ws, err := tr.CreateWorkspace(taskrouter.WorkspaceParams{FriendlyName: SeedWorkspace})
	if err != nil {
		return sd, err
	}
	sd.WorkspaceSid = ws.Sid
	// The workspace comes with some of Flex's activities (Offline the default
	// and timeout one); add what is missing.
	for _, a := range tr.Activities(ws.Sid) {
		sd.Activities[a.FriendlyName] = a.Sid
	}
	for _, a := range seedActivities {
		if sd.Activities[a.name] != "" {
			continue
		}
		act, err := tr.CreateActivity(ws.Sid, taskrouter.ActivityParams{FriendlyName: a.name, Available: a.available})
		if err != nil {
			return sd, err
		}
		sd.Activities[a.name] = act.Sid
	}
	offline := sd.Activities["Offline"]
	if _, err := tr.UpdateWorkspace(ws.Sid, taskrouter.WorkspaceUpdate{
		DefaultActivitySid: &offline, TimeoutActivitySid: &offline}); err != nil {
		return sd, err
	}
	for _, a := range seedAgents {
		if sd.Activities[a.Activity] == "" {
			return sd, fmt.Errorf("no activity %q", a.Activity)
		}
		w, err := tr.CreateWorker(ws.Sid, taskrouter.WorkerParams{
			FriendlyName: a.Name, ActivitySid: sd.Activities[a.Activity], Attributes: workerAttributes(a),
		})
		if err != nil {
			return sd, err
		}
		a.WorkerSid = w.Sid
		a.Skills = append([]string{}, a.Skills...)
		sd.Agents = append(sd.Agents, a)
	}
	for _, q := range []struct{ name, target string }{
		{SeedQueueEveryone, "1==1"},
		{SeedQueueSales, "routing.skills HAS 'sales'"},
		{SeedQueueSupport, "routing.skills HAS 'support'"},
	} {
		tq, err := tr.CreateTaskQueue(ws.Sid, taskrouter.TaskQueueParams{FriendlyName: q.name, TargetWorkers: q.target})
		if err != nil {
			return sd, err
		}
		sd.Queues[q.name] = tq.Sid
	}
	sd.EveryoneQueueSid = sd.Queues[SeedQueueEveryone]
	workflows := []struct{ name, config string }{{SeedWorkflowAnyone, anyoneWorkflow(sd.EveryoneQueueSid)}}
	if internalCall {
		workflows = append(workflows, struct{ name, config string }{SeedWorkflowInternal, internalCallWorkflow(sd.Queues)})
	}
	for _, wf := range workflows {
		w, err := tr.CreateWorkflow(ws.Sid, taskrouter.WorkflowParams{FriendlyName: wf.name, Configuration: wf.config})
		if err != nil {
			return sd, err
		}
		sd.Workflows[wf.name] = w.Sid
	}
	sd.AssignToAnyoneWorkflowSid = sd.Workflows[SeedWorkflowAnyone]
	sd.InternalCallWorkflowSid = sd.Workflows[SeedWorkflowInternal]
	cfg := flexConfiguration(s.opts.AccountSid, sd)
	if !internalCall {
		delete(cfg, "outbound_call_flows")
		delete(cfg, "ui_attributes")
	}
	_, err = s.Flex.UpdateConfiguration(cfg)
	return sd, err
}

// workerAttributes are a Flex agent's attributes: contact_uri, full_name,
// email and routing skills, with disabled_skills as Flex writes them.
func workerAttributes(a SeedAgent) string {
	attrs := map[string]any{
		"contact_uri":     a.ContactURI,
		"email":           a.Name + "@example.com",
		"routing":         map[string]any{"skills": a.Skills, "levels": map[string]any{}},
		"disabled_skills": map[string]any{"skills": []string{}, "levels": map[string]any{}},
	}
	if a.FullName != "" {
		attrs["full_name"] = a.FullName
	}
	b, _ := json.Marshal(attrs)
	return string(b)
}

type routingDoc struct {
	TaskRouting struct {
		Filters       []filterDoc `json:"filters"`
		DefaultFilter struct {
			Queue string `json:"queue"`
		} `json:"default_filter"`
	} `json:"task_routing"`
}

type filterDoc struct {
	FilterFriendlyName string      `json:"filter_friendly_name"`
	Expression         string      `json:"expression"`
	Targets            []targetDoc `json:"targets"`
}

type targetDoc struct {
	Queue      string `json:"queue"`
	Expression string `json:"expression,omitempty"`
	Priority   int    `json:"priority,omitempty"`
}

func (d routingDoc) String() string {
	if d.TaskRouting.Filters == nil {
		d.TaskRouting.Filters = []filterDoc{}
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// anyoneWorkflow is Flex's default workflow: everything to Everyone.
func anyoneWorkflow(everyone string) string {
	var d routingDoc
	d.TaskRouting.DefaultFilter.Queue = everyone
	return d.String()
}

// internalCallWorkflow is the workflow the operator sets up for callee tasks:
// an agent call goes to the worker whose contact_uri is targetWorker; a queue
// call to that queue, to anyone in it but the caller.
func internalCallWorkflow(queues map[string]string) string {
	var d routingDoc
	d.TaskRouting.DefaultFilter.Queue = queues[SeedQueueEveryone]
	d.TaskRouting.Filters = append(d.TaskRouting.Filters, filterDoc{
		FilterFriendlyName: seedAgentFilterName,
		Expression:         "targetWorker != null",
		Targets: []targetDoc{{Queue: queues[SeedQueueEveryone],
			Expression: "task.targetWorker==worker.contact_uri", Priority: seedAgentPriority}},
	})
	for _, name := range []string{SeedQueueEveryone, SeedQueueSales, SeedQueueSupport} {
		d.TaskRouting.Filters = append(d.TaskRouting.Filters, filterDoc{
			FilterFriendlyName: name,
			Expression:         fmt.Sprintf("callToQueue=='%s'", name),
			Targets:            []targetDoc{{Queue: queues[name], Expression: "task.from != worker.contact_uri"}},
		})
	}
	return d.String()
}

// flexConfiguration is the Flex configuration of the seeded account.
func flexConfiguration(accountSid string, sd Seeded) map[string]any {
	queues := []any{}
	for _, name := range []string{SeedQueueEveryone, SeedQueueSales, SeedQueueSupport} {
		queues = append(queues, map[string]any{"sid": sd.Queues[name], "targettask": name == SeedQueueEveryone})
	}
	return map[string]any{
		"account_sid":                     accountSid,
		"taskrouter_workspace_sid":        sd.WorkspaceSid,
		"taskrouter_offline_activity_sid": sd.Activities["Offline"],
		"taskrouter_target_workflow_sid":  sd.AssignToAnyoneWorkflowSid,
		"taskrouter_target_taskqueue_sid": sd.EveryoneQueueSid,
		"taskrouter_taskqueues":           queues,
		"outbound_call_flows": map[string]any{"default": map[string]any{
			"workflow_sid": sd.AssignToAnyoneWorkflowSid,
			"queue_sid":    sd.EveryoneQueueSid,
			"caller_id":    sd.CallerID,
			"enabled":      true,
			"location":     "US",
		}},
		"ui_attributes": map[string]any{"custom_data": map[string]any{"features": map[string]any{
			"internal_call": map[string]any{"enabled": true, "enable_call_agent": true, "enable_call_queue": true},
		}}},
	}
}
