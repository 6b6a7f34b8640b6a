package app_test

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// calleeTasks counts the callee tasks of a call in the simulator.
func (p *product) calleeTasks(callerTask string) []string {
	var out []string
	for _, ws := range p.sim.TaskRouter.Snapshot().Workspaces {
		for _, t := range ws.Tasks {
			a, err := call.ParseAttributes(t.Attributes)
			if err == nil && a.InternalCall != nil && a.InternalCall.Role == call.RoleCallee && a.InternalCall.CallerTaskSid == callerTask {
				out = append(out, t.Sid)
			}
		}
	}
	return out
}

// A replica is another server process on the same Twilio account: its own
// Twilio client and call flow, sharing nothing with the first but Twilio.
func (p *product) replica() *callflow.Flow {
	base, _ := url.Parse(p.twilio)
	creds := p.sim.Credentials()
	tw, err := twilioapi.New(twilioapi.Options{AccountSid: creds.AccountSid, Username: creds.AccountSid, Password: creds.AuthToken, BaseURL: base, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		p.t.Fatal(err)
	}
	// Replicas share the account's auth token, which keys the seal.
	sealer, err := callflow.NewSealer(creds.AuthToken)
	if err != nil {
		p.t.Fatal(err)
	}
	return callflow.New(tw.TaskRouter(p.sd.WorkspaceSid), tw, nil, callflow.Settings{
		Sealer:        sealer,
		WorkflowSid:   p.sd.InternalCallWorkflowSid,
		PublicBaseURL: p.url, RingTimeout: ringTimeout,
	}, slog.New(slog.DiscardHandler))
}

func TestCalleeTaskCreatedOnceAcrossReplicasAndDuplicates(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	// Hold back Twilio's own callbacks: the replicas below get the join instead.
	p.sim.Faults().Set(faults.Config{Drop: 1})
	callerTask := alice.call(agentTarget(bob))
	var join callflow.ConferenceEvent
	waitFor(t, "caller in the conference", func() bool {
		for _, cf := range p.sim.Voice.Conferences() {
			if strings.HasPrefix(cf.FriendlyName, callerTask+"-") && len(cf.Participants) == 1 {
				join = callflow.ConferenceEvent{
					CallerTaskSid: callerTask, ConferenceSid: cf.Sid, FriendlyName: cf.FriendlyName,
					Event: callflow.EventParticipantJoin, CallSid: cf.Participants[0].CallSid, Label: "caller",
				}
				return true
			}
		}
		return false
	})
	p.sim.Faults().Set(faults.Config{})

	// Three replicas, each receiving the same callback three times at once.
	var wg sync.WaitGroup
	errs := make(chan error, 9)
	for range 3 {
		flow := p.replica()
		for range 3 {
			wg.Add(1)
			go func() { defer wg.Done(); errs <- flow.HandleConferenceEvent(context.Background(), join) }()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("replica: %v", err)
		}
	}
	if got := p.calleeTasks(callerTask); len(got) != 1 {
		t.Fatalf("%d callee tasks created: %v", len(got), got)
	}
	res, _ := bob.waitOffer()
	bob.answer(res)
	p.status(callerTask, call.StatusConnected)
	alice.act(callerTask, call.ActionHangup, 200)
	p.status(res.TaskSid, call.StatusEnded)
	p.assignment("wrapping", res.TaskSid)
	alice.finish()
	bob.finish()
	p.settled()
}

func TestDuplicatedAndReorderedCallbacks(t *testing.T) {
	p := startProduct(t, twiliosim.Options{Faults: faults.Config{Dup: 1, Reorder: 0.5, Seed: 3}})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask, calleeTask := connect(t, p, alice, bob)
	bob.act(calleeTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusEnded)
	p.assignment("wrapping", callerTask, calleeTask)
	if got := p.calleeTasks(callerTask); len(got) != 1 {
		t.Fatalf("%d callee tasks created: %v", len(got), got)
	}
	alice.finish()
	bob.finish()
	p.settled()
}

func TestHoldActsOnTheOtherParty(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask, calleeTask := connect(t, p, alice, bob)
	held := func(label string) bool {
		for _, cf := range p.sim.Voice.Conferences() {
			if !strings.HasPrefix(cf.FriendlyName, callerTask+"-") {
				continue
			}
			for _, pt := range cf.Participants {
				if pt.Label == label {
					return pt.Hold
				}
			}
		}
		return false
	}
	alice.act(callerTask, call.ActionHold, 200)
	if !held("callee") || held("caller") {
		t.Fatal("caller's hold did not hold the callee (only)")
	}
	if ic := p.task(calleeTask).attrs().InternalCall; ic.Held != call.RoleCallee {
		t.Fatalf("callee task held = %q", ic.Held)
	}
	alice.act(callerTask, call.ActionUnhold, 200)
	if held("callee") {
		t.Fatal("unhold left the callee on hold")
	}
	bob.act(calleeTask, call.ActionHold, 200)
	if !held("caller") || held("callee") {
		t.Fatal("callee's hold did not hold the caller (only)")
	}
	// Someone who is not on the call may not touch it.
	carol := p.login("carol")
	carol.act(callerTask, call.ActionHangup, 403)
	carol.act(calleeTask, call.ActionUnhold, 403)
	bob.act(calleeTask, call.ActionHangup, 200)
	p.assignment("wrapping", callerTask, calleeTask)
	alice.finish()
	bob.finish()
	p.settled()
}

func TestCallableQueues(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice := p.login("alice")
	var out struct {
		Queues []callflow.Queue `json:"queues"`
	}
	p.do("GET", p.url+call.PathAPIQueues, alice.token, nil, &out, 200)
	var names []string
	for _, q := range out.Queues {
		names = append(names, q.Name)
		if q.QueueSid != p.sd.Queues[q.Name] || q.FriendlyName != q.Name {
			t.Errorf("queue %+v does not match the seeded %s", q, p.sd.Queues[q.Name])
		}
	}
	if len(names) != 3 {
		t.Fatalf("callable queues %v, want Everyone, Sales and Support", names)
	}
	p.do("GET", p.url+call.PathAPIQueues, "", nil, nil, 401)
}
