package callflow

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// scenario is one contact centre in memory: Alice, Bob and Carol, a Sales
// queue routed by the Internal Call workflow, and a Flow on a clock the test
// moves. Nothing here touches the network; every test runs in milliseconds.
type scenario struct {
	t     *testing.T
	tw    *callflowtest.Twilio
	clock *callflowtest.Clock
	flow  *Flow
	ctx   context.Context

	alice, bob, carol worker
	sales             string // queue SID
	workflow          string
}

type worker struct {
	sid, contact, name string
}

const (
	baseURL     = "https://ic.example.com"
	ringTimeout = 30 * time.Second
)

func newScenario(t *testing.T) *scenario {
	t.Helper()
	tw := callflowtest.New()
	s := &scenario{t: t, tw: tw, clock: callflowtest.NewClock(), ctx: context.Background()}
	tw.Now = s.clock.Now
	s.alice = worker{tw.AddWorker("client:alice"), "client:alice", "Alice Andrews"}
	s.bob = worker{tw.AddWorker("client:bob"), "client:bob", "Bob Baker"}
	s.carol = worker{tw.AddWorker("client:carol"), "client:carol", "Carol Chen"}
	s.sales = tw.AddQueue("Sales")
	everyone := tw.AddQueue("Everyone")
	s.workflow = tw.AddWorkflow("Internal Call", `{"task_routing":{"filters":[
		{"expression":"targetWorker != null","targets":[{"queue":"`+everyone+`","expression":"task.targetWorker == worker.contact_uri"}]},
		{"expression":"callToQueue == 'Sales'","targets":[{"queue":"`+s.sales+`"}]}]}}`)
	sealer, err := NewSealer("test-signing-key")
	if err != nil {
		t.Fatal(err)
	}
	s.flow = New(tw, tw, s.clock, Settings{WorkflowSid: s.workflow, PublicBaseURL: baseURL, RingTimeout: ringTimeout, Sealer: sealer}, nil)
	return s
}

// confName is the name the server gives a call's conference.
func (s *scenario) confName(callerTask string) string { return s.flow.seal.ConferenceName(callerTask) }

// serverWrites changes a task as the server itself would (sealed): the
// state a test starts from, e.g. another replica's earlier work.
func (s *scenario) serverWrites(sid string, change func(t *call.Task)) {
	s.tw.SetTask(sid, func(t *call.Task) {
		change(t)
		s.flow.seal.Seal(t)
	})
}

// placeCall is what the caller's browser does: create the caller task (routed
// back to the caller) and accept it. It returns the caller task's SID.
func (s *scenario) placeCall(from worker, to call.Target) string {
	a := call.CallerAttributes(call.Caller{ContactURI: from.contact, Name: from.name}, to)
	sid := s.tw.AddTask(call.TaskPending, a)
	s.tw.Accept(sid, s.tw.Reserve(sid, from.sid))
	return sid
}

func (s *scenario) agentTarget(w worker) call.Target {
	return call.Target{Kind: call.TargetAgent, ContactURI: w.contact, Name: w.name}
}

func salesTarget() call.Target {
	return call.Target{Kind: call.TargetQueue, QueueName: "Sales", Name: "Sales"}
}

// callerJoins is Twilio placing the caller's leg in the conference and
// calling back participant-join. It returns the leg's and the conference's SIDs.
func (s *scenario) callerJoins(callerTask string) (callSid, confSid string) {
	s.t.Helper()
	callSid = s.tw.AddCall()
	confSid = s.tw.AddConference(s.confName(callerTask), call.ConferenceInit)
	s.tw.Join(confSid, callSid)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(callerTask, confSid, callSid, labelCaller)))
	return callSid, confSid
}

func (s *scenario) joinEvent(callerTask, confSid, callSid, label string) ConferenceEvent {
	return ConferenceEvent{CallerTaskSid: callerTask, ConferenceSid: confSid, FriendlyName: s.confName(callerTask),
		Event: EventParticipantJoin, CallSid: callSid, Label: label}
}

// ringing sets up a call from Alice to Bob up to the offer: the caller is in
// the conference and Bob's task exists. It returns both task SIDs and
// Alice's leg and the conference.
func (s *scenario) ringing() (callerTask, calleeTask, callerCall, conf string) {
	s.t.Helper()
	callerTask = s.placeCall(s.alice, s.agentTarget(s.bob))
	callerCall, conf = s.callerJoins(callerTask)
	calleeTask = s.ic(callerTask).CalleeTaskSid
	if calleeTask == "" {
		s.t.Fatalf("no callee task after the caller joined: %+v", s.ic(callerTask))
	}
	return callerTask, calleeTask, callerCall, conf
}

// connected takes the ringing call to connected: Bob accepts and his leg joins.
// It returns Bob's reservation and leg too.
func (s *scenario) connected() (callerTask, calleeTask, callerCall, calleeCall, conf, bobRes string) {
	s.t.Helper()
	callerTask, calleeTask, callerCall, conf = s.ringing()
	bobRes = s.tw.Reserve(calleeTask, s.bob.sid)
	s.tw.Accept(calleeTask, bobRes)
	calleeCall = s.tw.AddCall()
	s.tw.Join(conf, calleeCall)
	s.setConference(conf, call.ConferenceInProgress)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(callerTask, conf, calleeCall, labelCallee)))
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	return
}

func (s *scenario) setConference(sid, status string) {
	s.t.Helper()
	// Conference state is only changed through the Voice API in the flow; the
	// test stands in for Twilio's own progress here.
	c := s.tw.Conference(sid)
	if c == nil {
		s.t.Fatalf("no conference %s", sid)
	}
	if status == call.ConferenceCompleted {
		s.must(s.tw.EndConference(s.ctx, sid))
		return
	}
	s.tw.SetConferenceStatus(sid, status)
}

func (s *scenario) ic(taskSid string) call.InternalCall {
	s.t.Helper()
	t := s.tw.Task(taskSid)
	if t == nil || t.Attributes.InternalCall == nil {
		s.t.Fatalf("task %s has no internal_call: %+v", taskSid, t)
	}
	return *t.Attributes.InternalCall
}

func (s *scenario) wantStatus(want call.Status, tasks ...string) {
	s.t.Helper()
	for _, sid := range tasks {
		if got := s.ic(sid).Status; got != want {
			s.t.Errorf("task %s: status %s, want %s", sid, got, want)
		}
	}
}

func (s *scenario) wantAssignment(want string, tasks ...string) {
	s.t.Helper()
	for _, sid := range tasks {
		if got := s.tw.Task(sid).AssignmentStatus; got != want {
			s.t.Errorf("task %s: %s, want %s", sid, got, want)
		}
	}
}

// calleeTasks lists the callee tasks made for a caller task.
func (s *scenario) calleeTasks(callerTask string) []string {
	var out []string
	for _, t := range s.tw.Tasks() {
		if ic := t.Attributes.InternalCall; ic != nil && ic.Role == call.RoleCallee && ic.CallerTaskSid == callerTask {
			out = append(out, t.Sid)
		}
	}
	return out
}

func (s *scenario) must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}

// twimlDoc is a parsed TwiML document.
type twimlDoc struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []twimlDoc `xml:",any"`
}

func parseTwiML(t *testing.T, doc string) twimlDoc {
	t.Helper()
	var n twimlDoc
	if err := xml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatalf("TwiML does not parse: %v\n%s", err, doc)
	}
	if n.XMLName.Local != "Response" {
		t.Fatalf("root %s, want Response", n.XMLName.Local)
	}
	return n
}

func (n twimlDoc) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// verbs names the children, e.g. [Say Hangup].
func (n twimlDoc) verbs() []string {
	var out []string
	for _, c := range n.Children {
		out = append(out, c.XMLName.Local)
	}
	return out
}

func (n twimlDoc) say() string {
	for _, c := range n.Children {
		if c.XMLName.Local == "Say" {
			return strings.TrimSpace(c.Text)
		}
	}
	return ""
}

// find returns the first descendant named name.
func (n twimlDoc) find(name string) (twimlDoc, bool) {
	for _, c := range n.Children {
		if c.XMLName.Local == name {
			return c, true
		}
		if f, ok := c.find(name); ok {
			return f, true
		}
	}
	return twimlDoc{}, false
}
