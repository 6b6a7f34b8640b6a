//go:build js && wasm

package main

import (
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

// JS snippets offering tasks to the stub agent (alice). Offers never carry
// autoAnswer here, so nothing accepts them unless the test does.
const (
	callerAttrs = `{client_call: true, direction: "outbound", to: "client:bob", from: "client:alice", name: "Bob Baker", fromName: "Alice Andrews", targetWorker: "client:alice", internal_call: {role: "caller", target: "agent", status: "initiated", peer_name: "Bob Baker"}}`
	calleeAttrs = `{client_call: true, direction: "inbound", to: "client:alice", from: "client:bob", name: "Bob Baker", targetWorker: "client:alice", internal_call: {role: "callee", target: "agent", status: "ringing", peer_name: "Bob Baker", caller_task_sid: "WT1"}, conference: {sid: "CF1"}}`
	queueAttrs  = `{client_call: true, direction: "inbound", to: "queue:Sales", callToQueue: "Sales", name: "Bob Baker", internal_call: {role: "callee", target: "queue", status: "ringing", peer_name: "Bob Baker"}}`
	olderCaller = `{client_call: true, direction: "outbound", to: "client:bob", name: "Bob Baker", targetWorker: "client:alice"}`
	plainAttrs  = `{from: "+15551234567", direction: "inbound", name: "A customer"}`
)

func (e *env) offer(attrs string) string {
	e.t.Helper()
	e.js(`globalThis.R = T.offer({attributes: ` + attrs + `}); T.setStatus(R.sid, "pending");`)
	return e.str("R.sid")
}

func (e *env) invoke(action, payload string) error {
	e.t.Helper()
	_, err := e.await(`T.flex.Actions.invokeAction("` + action + `", ` + payload + `)`)
	return err
}

func wantCancelled(t *testing.T, action string, err error) {
	t.Helper()
	if err == nil || err.Error() != "Action "+action+" cancelled by before event" {
		t.Fatalf("%s: want the native action cancelled, got %v", action, err)
	}
}

func TestAcceptPlacesTheLegThroughTheReservation(t *testing.T) {
	cases := []struct {
		name, attrs, path, hints string
	}{
		// The callee's task names its caller's task and conference: hints on the URL.
		{"callee", calleeAttrs, "/twiml/callee", "&callerTaskSid=WT1&conferenceSid=CF1"},
		{"queue callee", queueAttrs, "/twiml/callee", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "")
			rsid := e.offer(c.attrs)
			if !strings.HasPrefix(rsid, "WR") {
				t.Fatalf("reservation sid %s", rsid)
			}
			// Flex passes the reservation SID; the URL must carry the TASK SID.
			wantCancelled(t, "AcceptTask", e.invoke("AcceptTask", `{sid: R.sid}`))
			e.eventually("R.sourceObject.calls.length === 1")
			if got, want := e.str("R.sourceObject.calls[0].url"), testBase+c.path+"?taskSid="+e.str("R.taskSid")+c.hints; got != want {
				t.Errorf("url = %s, want %s", got, want)
			}
			if got := e.str("R.sourceObject.calls[0].from"); got != "client:alice" {
				t.Errorf("from = %s", got)
			}
			// The leg's end is reported to the server (statusCallbackUrl), for the task the leg is for.
			wantOptions := `{"accept":true,"statusCallbackUrl":"` + testBase + `/callbacks/leg?taskSid=` + e.str("R.taskSid") + `"}`
			if got := e.str(`JSON.stringify(R.sourceObject.calls[0].options)`); got != wantOptions {
				t.Errorf("options = %s, want %s", got, wantOptions)
			}
			if e.num("R.sourceObject.accepted") != 0 {
				t.Error("native accept ran")
			}
			e.wantNoNotification()
		})
	}
}

func TestAcceptSIPAgentUsesTheCallerID(t *testing.T) {
	e := newEnv(t, `{worker: {sid: "WK`+strings.Repeat("0", 31)+`a", contact_uri: "sip:alice@example.sip.twilio.com", full_name: "Alice"}}`)
	e.offer(calleeAttrs)
	wantCancelled(t, "AcceptTask", e.invoke("AcceptTask", `{task: R}`))
	e.eventually("R.sourceObject.calls.length === 1")
	if got := e.str("R.sourceObject.calls[0].from"); got != "+15550100" {
		t.Errorf("from = %s, want the outbound caller ID", got)
	}
}

func TestAcceptLeavesOrdinaryTasksAlone(t *testing.T) {
	e := newEnv(t, "")
	e.offer(plainAttrs)
	if err := e.invoke("AcceptTask", `{sid: R.sid}`); err != nil {
		t.Fatal(err)
	}
	if e.num("R.sourceObject.accepted") != 1 || e.num("R.sourceObject.calls.length") != 0 {
		t.Fatal("ordinary task not accepted natively")
	}
	e.wantNoNotification()
}

func TestAcceptFailureShowsANotification(t *testing.T) {
	e := newEnv(t, "")
	e.offer(calleeAttrs)
	e.js(`T.failReservationCall = new Error("reservation is not pending")`)
	wantCancelled(t, "AcceptTask", e.invoke("AcceptTask", `{sid: R.sid}`))
	e.wantShown("InternalCallError: The internal call could not be connected: reservation is not pending")
	if e.num("T.flex.Actions.errors.length") != 0 {
		t.Errorf("the before listener threw: %v", e.js("T.flex.Actions.errors[0].error"))
	}
}

func TestAcceptWithoutContactURI(t *testing.T) {
	e := newEnv(t, `{worker: {sid: "WKx", contact_uri: "", full_name: "Nobody"}}`)
	e.offer(calleeAttrs)
	wantCancelled(t, "AcceptTask", e.invoke("AcceptTask", `{sid: R.sid}`))
	e.wantShown("no contact_uri")
}

func TestReject(t *testing.T) {
	t.Run("agent call goes to the server", func(t *testing.T) {
		e := newEnv(t, "")
		e.offer(calleeAttrs)
		wantCancelled(t, "RejectTask", e.invoke("RejectTask", `{sid: R.sid}`))
		e.eventually("T.server.requests.length === 1")
		if got, want := e.str("T.server.requests[0].method + ' ' + T.server.requests[0].url"), "POST "+testBase+"/api/calls/"+e.str("R.taskSid")+"/reject"; got != want {
			t.Errorf("request %s, want %s", got, want)
		}
		if e.str(`T.server.requests[0].headers["`+call.FlexTokenHeader+`"]`) != "jwe-1" {
			t.Error(call.FlexTokenHeader + " not sent")
		}
		if e.num("R.sourceObject.rejected") != 0 {
			t.Error("native reject ran")
		}
		e.wantNoNotification()
	})
	t.Run("queue call is rejected natively and re-routes", func(t *testing.T) {
		e := newEnv(t, "")
		e.offer(queueAttrs)
		if err := e.invoke("RejectTask", `{sid: R.sid}`); err != nil {
			t.Fatal(err)
		}
		if e.num("R.sourceObject.rejected") != 1 || e.num("T.server.requests.length") != 0 {
			t.Fatal("queue call not rejected natively")
		}
	})
	t.Run("ordinary task", func(t *testing.T) {
		e := newEnv(t, "")
		e.offer(plainAttrs)
		if err := e.invoke("RejectTask", `{sid: R.sid}`); err != nil {
			t.Fatal(err)
		}
		if e.num("R.sourceObject.rejected") != 1 || e.num("T.server.requests.length") != 0 {
			t.Fatal("ordinary task not rejected natively")
		}
	})
}

func TestHoldUnholdHangupGoToTheServer(t *testing.T) {
	for action, path := range map[string]string{
		"HoldCall": "hold", "UnholdCall": "unhold", "HoldParticipant": "hold", "UnholdParticipant": "unhold", "HangupCall": "hangup",
	} {
		t.Run(action, func(t *testing.T) {
			e := newEnv(t, "")
			e.js(`globalThis.natives = []; T.on("native", function(n){ natives.push(n) })`)
			e.offer(callerAttrs)
			e.js(`T.setStatus(R.sid, "accepted")`)
			wantCancelled(t, action, e.invoke(action, `{task: R, participantType: "worker"}`))
			e.eventually("T.server.requests.length === 1")
			if got, want := e.str("T.server.requests[0].url"), testBase+"/api/calls/"+e.str("R.taskSid")+"/"+path; got != want {
				t.Errorf("url %s, want %s", got, want)
			}
			if e.num("natives.length") != 0 {
				t.Error("native action ran")
			}

			// an ordinary call keeps Flex's own behaviour
			e.offer(plainAttrs)
			if err := e.invoke(action, `{task: R}`); err != nil {
				t.Fatal(err)
			}
			if e.num("natives.length") != 1 || e.num("T.server.requests.length") != 1 {
				t.Error("ordinary call not handled natively")
			}
			e.wantNoNotification()
		})
	}
}

func TestServerFailuresShowNotifications(t *testing.T) {
	t.Run("server down", func(t *testing.T) {
		e := newEnv(t, "")
		e.offer(callerAttrs)
		e.js("T.server.down = true")
		wantCancelled(t, "HoldCall", e.invoke("HoldCall", `{task: R}`))
		e.wantShown("The other party could not be put on hold: the internal call server cannot be reached")
	})
	t.Run("token expired", func(t *testing.T) {
		e := newEnv(t, "")
		e.offer(callerAttrs)
		e.js(`T.server.validToken = function(){ return false }`)
		wantCancelled(t, "HangupCall", e.invoke("HangupCall", `{task: R}`))
		e.wantShown("The internal call could not be hung up: your Flex session has expired")
	})
	t.Run("server refuses", func(t *testing.T) {
		e := newEnv(t, "")
		e.offer(calleeAttrs)
		e.js(`T.server.routes["POST /api/calls/" + R.taskSid + "/reject"] = function(){ return {status: 403, body: {error: "this task is not yours", status: 403}} }`)
		wantCancelled(t, "RejectTask", e.invoke("RejectTask", `{task: R}`))
		e.wantShown("The internal call could not be declined: this task is not yours")
	})
}

func TestTheTokenIsReadAtCallTime(t *testing.T) {
	e := newEnv(t, "")
	e.offer(callerAttrs)
	e.js(`globalThis.current = T.rotateToken(); T.server.validToken = function(tok){ return tok === current }`)
	wantCancelled(t, "HoldCall", e.invoke("HoldCall", `{task: R}`))
	e.eventually("T.server.requests.length === 1")
	if got := e.str("T.server.requests[0].token"); got != "jwe-2" {
		t.Errorf("token %s, want the rotated jwe-2", got)
	}
	e.wantNoNotification()
}

func TestStopRemovesTheListeners(t *testing.T) {
	e := newEnv(t, "")
	before := e.num(`T.flex.Actions.emitter.listenerCount("beforeAcceptTask")`)
	msgs := e.num(`__listenerCount("message")`)
	e.b.stop()
	if got := e.num(`T.flex.Actions.emitter.listenerCount("beforeAcceptTask")`); got != before-1 {
		t.Errorf("beforeAcceptTask listeners %d → %d", before, got)
	}
	for _, ev := range []string{"beforeRejectTask", "beforeHoldCall", "beforeUnholdCall", "beforeHangupCall", "beforeTransferTask", "beforeKickParticipant"} {
		if n := e.num(`T.flex.Actions.emitter.listenerCount("` + ev + `")`); n != 0 {
			t.Errorf("%s still has %d listeners", ev, n)
		}
	}
	if got := e.num(`__listenerCount("message")`); got != msgs-2 { // the dialpad's and the panels'
		t.Errorf("message listeners %d → %d", msgs, got)
	}
	if keys := e.str(`T.flex.CallCanvas.Content.keys({task: {attributes: {client_call: true}}}).join(",")`); keys != "" {
		t.Errorf("call canvas still has %s", keys)
	}
	if e.num(`T.liveQueries.filter(function(q){ return !q.closed }).length`) != 0 {
		t.Error("live query left open")
	}
	// Flex's own Call channel stays; the plugin's goes
	if e.num(`T.flex.TaskChannels.getRegistered().filter(function (c) { return c.name !== "voice"; }).length`) != 0 {
		t.Error("task channel left registered")
	}
	e.offer(calleeAttrs)
	if err := e.invoke("AcceptTask", `{sid: R.sid}`); err != nil {
		t.Fatal(err)
	}
	if e.num("R.sourceObject.accepted") != 1 {
		t.Error("a stopped bridge still intercepts AcceptTask")
	}
}

func TestStartRefusesABadBase(t *testing.T) {
	e := newEnv(t, "")
	for _, base := range []string{"", "/relative", "ftp://x.example", "not a url"} {
		if _, err := start(e.val("T.flex"), e.val("T.manager"), options{Base: base}); err == nil {
			t.Errorf("base %q accepted", base)
		}
	}
}

// A caller task this session did not place (another tab of the agent placed
// it; Flex auto-accepts it in every tab): the native accept is still aborted,
// and no second leg is placed.
func TestAcceptOfACallerTaskPlacedElsewherePlacesNoLeg(t *testing.T) {
	for _, attrs := range []string{callerAttrs, olderCaller} {
		e := newEnv(t, "")
		e.offer(attrs)
		wantCancelled(t, "AcceptTask", e.invoke("AcceptTask", `{sid: R.sid}`))
		settle()
		if n := e.num("R.sourceObject.calls.length"); n != 0 {
			t.Errorf("%d legs placed for a caller task of another tab", n)
		}
		if e.num("R.sourceObject.accepted") != 0 {
			t.Error("native accept ran")
		}
		e.wantNoNotification()
	}
}
