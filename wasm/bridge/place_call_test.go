//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

func (e *env) placeAgent(contactURI, workerSid, name string) {
	e.t.Helper()
	e.post(env1("place-call", `{kind: "agent", contact_uri: "`+contactURI+`", worker_sid: "`+workerSid+`", name: "`+name+`"}`), testBase, "FRAME.contentWindow")
}

func (e *env) statuses() string {
	return e.str(`FRAME.contentWindow.received.map(function(m){ return JSON.parse(m.data) }).filter(function(m){ return m.type === "call-status" }).map(function(m){ return m.payload.status }).join(",")`)
}

func TestPlaceCallToAnAgentEndToEnd(t *testing.T) {
	e := newEnv(t, "")
	e.mount()
	e.ready()
	e.placeAgent("client:bob", "WKb", "Bob Baker")
	e.eventually("T.createdTasks.length === 1")
	c := func(k string) string { return e.str("T.createdTasks[0]." + k) }
	if c("to") != "client:bob" || c("from") != "client:alice" || c("workflowSid") != "WW"+strings.Repeat("0", 31)+"1" || c("taskQueueSid") != "WQ"+strings.Repeat("0", 31)+"1" {
		t.Errorf("createTask(%s, %s, %s, %s)", c("to"), c("from"), c("workflowSid"), c("taskQueueSid"))
	}
	if c("options.taskChannelUniqueName") != "voice" {
		t.Errorf("channel %s", c("options.taskChannelUniqueName"))
	}
	// the attributes are exactly call.CallerAttributes
	want := call.CallerAttributes(call.Caller{ContactURI: "client:alice", Name: "Alice Andrews"}, call.Target{Kind: call.TargetAgent, ContactURI: "client:bob", Name: "Bob Baker"})
	var got, exp map[string]any
	_ = json.Unmarshal([]byte(e.str("JSON.stringify(T.createdTasks[0].options.attributes)")), &got)
	_ = json.Unmarshal([]byte(want.String()), &exp)
	gb, _ := json.Marshal(got)
	eb, _ := json.Marshal(exp)
	if string(gb) != string(eb) {
		t.Errorf("attributes\n got %s\nwant %s", gb, eb)
	}

	// TaskRouter routes it back; Flex accepts it (the bridge must not: a
	// second AcceptTask would place a second leg) and the bridge places the
	// caller's leg, once.
	e.eventually("Object.keys(T.reservations).length === 1")
	e.js(`globalThis.RES = T.reservations[Object.keys(T.reservations)[0]]`)
	e.eventually("RES.calls.length === 1")
	settle()
	if n := e.num(`T.flex.Actions.invocations.filter(function(i){ return i.name === "AcceptTask" }).length`); n != 1 {
		t.Errorf("AcceptTask invoked %d times, want once (by Flex)", n)
	}
	if n := e.num("RES.calls.length"); n != 1 {
		t.Errorf("%d reservation.call for the caller's leg, want 1", n)
	}
	if got, want := e.str("RES.calls[0].url"), call.CallerTwiMLURL(testBase, e.str("T.createdTasks[0].taskSid")); got != want {
		t.Errorf("leg url %s, want %s", got, want)
	}
	e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("initiated") >= 0 }).length === 1`)

	for _, s := range []string{"ringing", "connected", "ended"} {
		e.js(`T.updateTaskAttributes(T.createdTasks[0].taskSid, function(a){ a.internal_call.status = "` + s + `" })`)
	}
	e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("ended") >= 0 }).length === 1`)
	if got := e.statuses(); got != "placing,initiated,ringing,connected,ended" {
		t.Errorf("statuses %s", got)
	}
	e.wantNoNotification()

	// the call is over: another one may be placed
	e.placeAgent("client:carol", "WKc", "Carol")
	e.eventually("T.createdTasks.length === 2")
}

func TestPlaceCallToAQueue(t *testing.T) {
	e := newEnv(t, "")
	e.mount()
	e.ready()
	e.post(env1("place-call", `{kind: "queue", queue_name: "Sales", name: "Sales team"}`), testBase, "FRAME.contentWindow")
	e.eventually("T.createdTasks.length === 1")
	if e.str("T.createdTasks[0].to") != "queue:Sales" || e.str("T.createdTasks[0].options.attributes.callToQueue") != "Sales" {
		t.Errorf("queue call created as %s", e.str("JSON.stringify(T.createdTasks[0])"))
	}
	// Once answered, the server's record names who answered and the queue:
	// the frame hears both.
	e.eventually("Object.keys(T.reservations).length === 1")
	e.js(`T.updateTaskAttributes(T.createdTasks[0].taskSid, function(a){ a.internal_call.status = "connected"; a.internal_call.peer_name = "Bob Baker"; a.internal_call.via = "Sales" })`)
	e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("connected") >= 0 }).length === 1`)
	if got := e.str(`JSON.stringify(` + e.last("call-status") + `)`); got != `{"status":"connected","peer_name":"Bob Baker","via":"Sales"}` {
		t.Errorf("call-status %s", got)
	}
}

func TestTheCallerTaskMayArriveBeforeCreateTaskAnswers(t *testing.T) {
	e := newEnv(t, "")
	e.js("T.routeBeforeCreateResolves = true")
	e.mount()
	e.ready()
	e.placeAgent("client:bob", "WKb", "Bob")
	e.eventually("T.createdTasks.length === 1")
	e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("initiated") >= 0 }).length === 1`)
	e.js(`T.updateTaskAttributes(T.createdTasks[0].taskSid, function(a){ a.internal_call.status = "ringing" })`)
	e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("ringing") >= 0 }).length === 1`)
}

func TestPlaceCallGuards(t *testing.T) {
	t.Run("double click places one call", func(t *testing.T) {
		e := newEnv(t, "")
		e.mount()
		e.ready()
		e.placeAgent("client:bob", "WKb", "Bob")
		e.placeAgent("client:bob", "WKb", "Bob")
		settle()
		if n := e.num("T.createdTasks.length"); n != 1 {
			t.Fatalf("%d tasks created", n)
		}
		e.wantShown("InternalCallWarning: A call is already being placed.")
	})
	t.Run("not while on another call, which is named", func(t *testing.T) {
		for name, attrs := range map[string]string{"an internal call received": calleeAttrs, "an ordinary call": plainAttrs} {
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, "")
				e.mount()
				e.ready()
				e.offer(attrs)
				e.js(`T.setStatus(R.sid, "accepted")`)
				e.placeAgent("client:carol", "WKc", "Carol")
				settle()
				if n := e.num("T.createdTasks.length"); n != 0 {
					t.Fatalf("%s: a second call placed", name)
				}
				want := map[string]string{"an internal call received": "Bob Baker", "an ordinary call": "A customer"}[name]
				e.wantShown("You are on a call with " + want + ": end it to place another.")
				if got := e.str(e.last("call-status") + ".reason"); !strings.Contains(got, want) {
					t.Errorf("%s: the dialpad is told %q", name, got)
				}
			})
		}
	})
	t.Run("never yourself", func(t *testing.T) {
		e := newEnv(t, "")
		e.mount()
		e.ready()
		e.placeAgent("client:alice", "", "Me")
		e.placeAgent("client:zed", "WK"+strings.Repeat("0", 31)+"a", "Me again")
		settle()
		if e.num("T.createdTasks.length") != 0 {
			t.Fatal("called myself")
		}
		e.wantShown("You cannot call yourself.")
		if got := e.statuses(); got != "failed,failed" {
			t.Errorf("statuses %s", got)
		}
	})
	for name, opts := range map[string]string{
		"outbound_call_flows missing":  `{outbound: null}`,
		"outbound_call_flows disabled": `{outbound: {enabled: false, workflow_sid: "WW` + strings.Repeat("0", 31) + `1", queue_sid: "WQ` + strings.Repeat("0", 31) + `1"}}`,
		"no workflow":                  `{outbound: {enabled: true, queue_sid: "WQ` + strings.Repeat("0", 31) + `1"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, opts)
			e.mount()
			e.ready()
			e.placeAgent("client:bob", "WKb", "Bob")
			e.wantShown("Ask your Flex administrator to configure outbound_call_flows.default")
			if e.num("T.createdTasks.length") != 0 {
				t.Fatal("task created without a call flow")
			}
		})
	}
	t.Run("kind turned off", func(t *testing.T) {
		e := newEnv(t, `{feature: {enabled: true, enable_call_agent: true, enable_call_queue: false}}`)
		e.mount()
		e.ready()
		e.post(env1("place-call", `{kind: "queue", queue_name: "Sales"}`), testBase, "FRAME.contentWindow")
		e.wantShown("This kind of internal call is turned off")
	})
	t.Run("no target", func(t *testing.T) {
		e := newEnv(t, "")
		e.mount()
		e.ready()
		e.post(env1("place-call", `{kind: "agent", contact_uri: "bob"}`), testBase, "FRAME.contentWindow")
		e.post(env1("place-call", `{kind: "queue", queue_name: " "}`), testBase, "FRAME.contentWindow")
		e.post(env1("place-call", `{kind: "nobody"}`), testBase, "FRAME.contentWindow")
		settle()
		if e.num("T.createdTasks.length") != 0 {
			t.Fatal("task created without a valid target")
		}
		e.wantShown("Choose an agent or a queue to call.")
	})
	t.Run("createTask rejected", func(t *testing.T) {
		e := newEnv(t, "")
		e.mount()
		e.ready()
		e.js(`T.failCreateTask = new Error("Workflow not found")`)
		e.placeAgent("client:bob", "WKb", "Bob")
		e.wantShown("InternalCallError: The call could not be placed: Workflow not found")
		e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("failed") >= 0 }).length === 1`)
		if got := e.str(e.last("call-status") + ".reason"); got != "Workflow not found" {
			t.Errorf("reason %q", got)
		}
		// not stuck: a new attempt goes through
		e.js(`T.failCreateTask = null`)
		e.placeAgent("client:bob", "WKb", "Bob")
		e.eventually("T.createdTasks.length === 2")
	})
}

func TestAFailedCallIsReportedAndNotified(t *testing.T) {
	e := newEnv(t, "")
	e.mount()
	e.ready()
	e.placeAgent("client:bob", "WKb", "Bob Baker")
	e.eventually("Object.keys(T.reservations).length === 1")
	e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("initiated") >= 0 }).length === 1`)
	e.js(`T.updateTaskAttributes(T.createdTasks[0].taskSid, function(a){ a.internal_call.status = "failed"; a.internal_call.reason = "callee unreachable" })`)
	e.wantShown("The call to Bob Baker failed: callee unreachable")
}

func TestTheGuardIsFreedWhenTheCallersReservationEnds(t *testing.T) {
	e := newEnv(t, "")
	e.mount()
	e.ready()
	e.placeAgent("client:bob", "WKb", "Bob")
	e.eventually("Object.keys(T.reservations).length === 1")
	e.eventually(`FRAME.contentWindow.received.filter(function(m){ return m.data.indexOf("initiated") >= 0 }).length === 1`)
	// no status ever comes; the reservation times out
	e.js(`T.reservations[Object.keys(T.reservations)[0]].emit("timeout")`)
	e.placeAgent("client:carol", "WKc", "Carol")
	e.eventually("T.createdTasks.length === 2")
	if s := e.shown(); s != "" {
		t.Errorf("notifications: %s", s)
	}
}

// Two tabs of one agent: TaskRouter offers the caller's reservation to both
// Flex tabs, and each auto-accepts it. Exactly one leg is placed, by the tab
// that placed the call.
func TestTwoTabsPlaceOneLeg(t *testing.T) {
	e := newEnv(t, "")
	// the second tab: a Flex of its own with a bridge session of its own
	e.js(`globalThis.T2 = FlexStub.create({})`)
	b2, err := start(e.val("T2.flex"), e.val("T2.manager"), options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b2.stop)
	e.js(`T.manager.workerClient.on("reservationCreated", function (res) { T2.offer({reservation: res, routingTarget: res.task.routingTarget || "WKa"}) })`)
	e.mount()
	e.ready()
	e.placeAgent("client:bob", "WKb", "Bob Baker")
	e.eventually("Object.keys(T.reservations).length === 1")
	e.js(`globalThis.RES = T.reservations[Object.keys(T.reservations)[0]]`)
	e.eventually(`T2.flex.Actions.invocations.some(function(i){ return i.name === "AcceptTask" })`)
	e.eventually("RES.calls.length >= 1")
	settle()
	settle()
	if n := e.num("RES.calls.length"); n != 1 {
		t.Errorf("%d reservation.call for the caller's leg over two tabs, want 1", n)
	}
}
