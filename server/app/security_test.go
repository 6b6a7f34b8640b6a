package app_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// The attacks of an ordinary agent, over real HTTP on the simulator, with
// nothing but what the Flex SDK lets any agent do: createTask routed to
// herself with any attributes, accept it, reservation.call to any URL.

// forge creates a task for the agent with attributes of her choosing, as
// workerClient.createTask does, and returns it with her reservation.
func (a *agent) forge(attrs call.Attributes) (string, reservation) {
	a.p.t.Helper()
	var out struct {
		TaskSid string `json:"task_sid"`
	}
	a.p.do(http.MethodPost, a.p.agents+"/tasks", a.token, map[string]any{
		"to": attrs.To, "from": a.contact,
		"workflowSid": a.p.sd.AssignToAnyoneWorkflowSid, "taskQueueSid": a.p.sd.EveryoneQueueSid,
		"options": map[string]any{"taskChannelUniqueName": "voice", "attributes": json.RawMessage(attrs.String())},
	}, &out, 201)
	var res reservation
	waitFor(a.p.t, a.name+"'s forged task reserved", func() bool {
		for _, r := range a.me().Reservations {
			if r.TaskSid == out.TaskSid && r.Status == "pending" {
				res = r
				return true
			}
		}
		return false
	})
	return out.TaskSid, res
}

func (a *agent) acceptOnly(res reservation) {
	a.p.do(http.MethodPost, a.p.agents+"/reservations/"+res.Sid+"/accept", a.token, map[string]any{}, nil, 200)
}

// callState is what an attack must leave as it was: the other call's tasks,
// its conference's participants with their hold, and its legs.
type callState struct {
	Tasks        map[string]string // sid → assignment/internal status/held
	Participants map[string]bool   // who → held
	Legs         map[string]string // call SID → status
}

func (p *product) callState(tasks ...string) callState {
	st := callState{Tasks: map[string]string{}, Participants: map[string]bool{}, Legs: map[string]string{}}
	for _, sid := range tasks {
		tk := p.task(sid)
		ic := tk.attrs().InternalCall
		st.Tasks[sid] = tk.AssignmentStatus + "/" + string(ic.Status) + "/" + string(ic.Held)
	}
	for _, c := range p.sim.State().Conferences {
		if c.Status == "completed" {
			continue
		}
		for _, pt := range c.Participants {
			st.Participants[pt.Who] = pt.Hold
		}
	}
	for _, c := range p.sim.Voice.Calls() {
		if c.To == "client:alice" || c.To == "client:bob" {
			st.Legs[c.Sid] = c.Status
		}
	}
	return st
}

func (p *product) unchanged(before callState, tasks ...string) {
	p.t.Helper()
	if after := p.callState(tasks...); !reflect.DeepEqual(before, after) {
		p.t.Errorf("the attack changed the call:\nbefore %+v\nafter  %+v", before, after)
	}
}

func legOf(p *product, contact string) string {
	for _, c := range p.sim.Voice.Calls() {
		if c.To == contact && c.Status == "in-progress" {
			return c.Sid
		}
	}
	return ""
}

func TestAttackForgedCalleeTaskActions(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask, calleeTask := connect(t, p, alice, bob)
	forged, res := carol.forge(call.Attributes{ClientCall: true, Direction: "inbound", To: carol.contact, TargetWorker: carol.contact,
		InternalCall: &call.InternalCall{Role: call.RoleCallee, Target: call.TargetAgent, Status: call.StatusConnected, CallerTaskSid: callerTask}})
	carol.acceptOnly(res)
	before := p.callState(callerTask, calleeTask)
	for _, a := range []call.CallAction{call.ActionHold, call.ActionUnhold, call.ActionHangup} {
		carol.act(forged, a, http.StatusForbidden)
	}
	p.unchanged(before, callerTask, calleeTask)

	// Her reservation.call to the callee TwiML with a forged task: she would
	// be a silent third party in Alice and Bob's conference.
	forged2, res2 := carol.forge(call.Attributes{ClientCall: true, Direction: "inbound", To: carol.contact, TargetWorker: carol.contact,
		InternalCall: &call.InternalCall{Role: call.RoleCallee, Target: call.TargetAgent, Status: call.StatusRinging, CallerTaskSid: callerTask}})
	carol.p.do(http.MethodPost, p.agents+"/reservations/"+res2.Sid+"/call", carol.token,
		map[string]any{"from": carol.contact, "url": call.CalleeTwiMLURL(p.url, forged2, callerTask, ""), "options": map[string]any{"accept": true}}, nil, 200)
	waitFor(t, "Carol's leg hung up", func() bool {
		for _, c := range p.sim.Voice.Calls() {
			if c.To == carol.contact && c.Status == "completed" {
				return true
			}
		}
		return false
	})
	p.unchanged(before, callerTask, calleeTask)

	alice.act(callerTask, call.ActionHangup, 200)
	p.assignment("wrapping", callerTask, calleeTask)
	for _, sid := range []string{forged, forged2} {
		p.endForged(sid)
	}
	alice.finish()
	bob.finish()
	carol.finish()
	p.settled()
}

func TestAttackForgedPendingTaskDeclines(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask := alice.call(agentTarget(bob))
	bobRes, _ := bob.waitOffer()
	p.status(callerTask, call.StatusRinging)
	forged, _ := carol.forge(call.Attributes{ClientCall: true, Direction: "inbound", To: carol.contact, TargetWorker: carol.contact,
		InternalCall: &call.InternalCall{Role: call.RoleCallee, Target: call.TargetAgent, Status: call.StatusRinging, CallerTaskSid: callerTask}})
	before := p.callState(callerTask, bobRes.TaskSid)
	carol.act(forged, call.ActionReject, http.StatusForbidden)
	p.unchanged(before, callerTask, bobRes.TaskSid)
	if bob.noOffer() {
		t.Fatal("Bob's offer went away")
	}
	alice.act(callerTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusCanceled)
	p.endForged(forged)
	alice.finish()
	p.settled()
}

// endForged ends a forged task the way TaskRouter would once its TTL runs
// out, so the simulator can settle.
func (p *product) endForged(sid string) {
	p.t.Helper()
	t := p.task(sid)
	next := "canceled"
	switch t.AssignmentStatus {
	case "assigned":
		next = "wrapping"
	case "wrapping", "completed", "canceled":
		return
	}
	if _, err := p.sim.TaskRouter.UpdateTask(p.sd.WorkspaceSid, sid, taskrouter.TaskUpdate{AssignmentStatus: &next}); err != nil {
		p.t.Fatal(err)
	}
	if next == "wrapping" {
		done := "completed"
		if _, err := p.sim.TaskRouter.UpdateTask(p.sd.WorkspaceSid, sid, taskrouter.TaskUpdate{AssignmentStatus: &done}); err != nil {
			p.t.Fatal(err)
		}
	}
}

// A forged caller task naming Bob's leg, or a path, as its own leg: hanging
// it up ends Carol's task only, and no forged SID reaches a Twilio URL.
func TestAttackForgedCallerTaskHangsUpSomeoneElsesLeg(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask, calleeTask := connect(t, p, alice, bob)
	bobLeg := legOf(p, bob.contact)
	if bobLeg == "" {
		t.Fatal("no leg for Bob")
	}
	conf := p.task(callerTask).attrs().InternalCall.ConferenceSid
	for _, claimed := range []string{bobLeg, "../Conferences/" + conf} {
		a := call.CallerAttributes(call.Caller{ContactURI: carol.contact, Name: carol.full}, agentTarget(bob))
		a.InternalCall.Status, a.InternalCall.CallerCallSid, a.InternalCall.ConferenceSid = call.StatusRinging, claimed, conf
		forged, res := carol.forge(a)
		carol.acceptOnly(res)
		before := p.callState(callerTask, calleeTask)
		carol.act(forged, call.ActionHangup, 200)
		p.unchanged(before, callerTask, calleeTask)
		if ic := p.task(forged).attrs().InternalCall; ic.Status != call.StatusCanceled || ic.CallerCallSid != "" {
			t.Errorf("Carol's own task: %+v", ic)
		}
	}
	for _, e := range p.sim.Voice.Errors() {
		if strings.Contains(e.Error(), "Conferences/../") || strings.Contains(e.Error(), "/Calls/..") {
			t.Errorf("a forged SID reached Twilio: %v", e)
		}
	}
	alice.act(callerTask, call.ActionHangup, 200)
	p.assignment("wrapping", callerTask, calleeTask)
	alice.finish()
	bob.finish()
	carol.finish()
	p.settled()
}
