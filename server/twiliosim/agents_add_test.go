package twiliosim_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

func TestAddAgents(t *testing.T) {
	sim, srv := mounted(t, twiliosim.Options{})
	if _, err := sim.AddAgents(1, twiliosim.AgentSpec{}); err == nil {
		t.Fatal("AddAgents before Seed accepted")
	}
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	added, err := sim.AddAgents(250, twiliosim.AgentSpec{Skills: []string{"chaos"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 250 || added[0].Name != "agent1" || added[249].Name != "agent250" {
		t.Fatalf("added %d agents, first %+v", len(added), added[0])
	}
	w, err := sim.TaskRouter.Worker(sd.WorkspaceSid, added[41].WorkerSid)
	if err != nil {
		t.Fatal(err)
	}
	var attrs struct {
		ContactURI string `json:"contact_uri"`
		FullName   string `json:"full_name"`
		Routing    struct {
			Skills []string `json:"skills"`
		} `json:"routing"`
	}
	if err := json.Unmarshal([]byte(w.Attributes), &attrs); err != nil {
		t.Fatal(err)
	}
	if w.FriendlyName != "agent42" || !w.Available || w.ActivityName != "Available" ||
		attrs.ContactURI != "client:agent42" || attrs.FullName != "Agent 42" ||
		len(attrs.Routing.Skills) != 1 || attrs.Routing.Skills[0] != "chaos" {
		t.Errorf("worker %+v attributes %+v", w, attrs)
	}
	if got, ok := sim.Seeded(); !ok || len(got.Agents) != 5+250 {
		t.Errorf("Seeded lists %d agents", len(got.Agents))
	} else if a, ok := got.Agent("agent250"); !ok || a.WorkerSid != added[249].WorkerSid {
		t.Errorf("Seeded().Agent(agent250) = %+v, %v", a, ok)
	}
	// A second batch continues the numbering; a taken name is refused.
	more, err := sim.AddAgents(2, twiliosim.AgentSpec{Prefix: "agent", First: 251, Activity: "Offline"})
	if err != nil || len(more) != 2 || more[1].Name != "agent252" {
		t.Fatalf("second batch: %v %+v", err, more)
	}
	if w, _ := sim.TaskRouter.Worker(sd.WorkspaceSid, more[0].WorkerSid); w.Available {
		t.Error("Offline agent is available")
	}
	if _, err := sim.AddAgents(1, twiliosim.AgentSpec{First: 7}); err == nil {
		t.Error("duplicate agent7 accepted")
	}
	if _, err := sim.AddAgents(1, twiliosim.AgentSpec{Activity: "Lunch"}); err == nil {
		t.Error("unknown activity accepted")
	}
	// The added agents log in like the seeded ones.
	resp, err := http.Post(srv.URL+"/sim/agents/login", "application/json", strings.NewReader(`{"worker":"agent250"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var login struct {
		Token  string `json:"token"`
		Worker struct {
			ContactURI string `json:"contact_uri"`
		} `json:"worker"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&login); err != nil || resp.StatusCode != 200 ||
		login.Token == "" || login.Worker.ContactURI != "client:agent250" {
		t.Errorf("login agent250: %d %+v %v", resp.StatusCode, login, err)
	}
}

func TestAddCallableQueue(t *testing.T) {
	sim, _ := mounted(t, twiliosim.Options{})
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	members, err := sim.AddAgents(2, twiliosim.AgentSpec{Prefix: "member", Skills: []string{"chaos"}})
	if err != nil {
		t.Fatal(err)
	}
	qSid, err := sim.AddCallableQueue("Chaos", "chaos")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddCallableQueue("Chaos", "chaos"); err == nil {
		t.Error("second Chaos queue accepted")
	}
	if got, _ := sim.Seeded(); got.Queues["Chaos"] != qSid {
		t.Errorf("Seeded queues %v", got.Queues)
	}
	wf, err := sim.TaskRouter.Workflow(sd.WorkspaceSid, sd.InternalCallWorkflowSid)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(wf.Configuration, `callToQueue=='Chaos'`) || !strings.Contains(wf.Configuration, qSid) ||
		!strings.Contains(wf.Configuration, `callToQueue=='Sales'`) {
		t.Errorf("workflow configuration %s", wf.Configuration)
	}
	// A queue call from member1 is offered to member2 only: the queue's
	// members, not its caller (and none of the seeded agents).
	task, err := sim.TaskRouter.CreateTask(sd.WorkspaceSid, taskrouter.TaskParams{
		WorkflowSid: sd.InternalCallWorkflowSid, TaskChannel: "voice",
		Attributes: `{"client_call":true,"callToQueue":"Chaos","from":"client:member1","to":"queue:Chaos"}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	var res []taskrouter.Reservation
	if !waitfor.Until(5*time.Second, func() bool {
		res, _ = sim.TaskRouter.TaskReservations(sd.WorkspaceSid, task.Sid)
		return len(res) > 0
	}) {
		t.Fatal("queue call not offered")
	}
	if len(res) != 1 || res[0].WorkerSid != members[1].WorkerSid {
		t.Errorf("offered to %+v, want only %s", res, members[1].WorkerSid)
	}
	if got, _ := sim.TaskRouter.Task(sd.WorkspaceSid, task.Sid); got.TaskQueueSid == nil || *got.TaskQueueSid != qSid {
		t.Errorf("task in queue %v, want %s", got.TaskQueueSid, qSid)
	}
}
