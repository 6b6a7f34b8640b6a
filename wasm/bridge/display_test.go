//go:build js && wasm

package main

import (
	"strings"
	"testing"
)

func TestTransferHiddenOnInternalCallsOnly(t *testing.T) {
	e := newEnv(t, "")
	e.offer(callerAttrs)
	if got := e.str(`T.flex.CallCanvasActions.Content.keys({task: R}).join(",")`); strings.Contains(got, "directory") {
		t.Errorf("internal call shows the transfer button: %s", got)
	}
	e.offer(plainAttrs)
	if got := e.str(`T.flex.CallCanvasActions.Content.keys({task: R}).join(",")`); got != "toggleMute,hold,directory,hangup" {
		t.Errorf("ordinary call buttons: %s", got)
	}
}

func TestFailedToFetchParticipantsSuppressedOnlyForInternalCalls(t *testing.T) {
	e := newEnv(t, "")
	show := `T.flex.Notifications.showNotification("FailedToFetchParticipants")`
	e.js(show)
	if e.num("T.shown.length") != 1 {
		t.Fatal("suppressed without any internal call")
	}
	e.offer(callerAttrs)
	e.js(`T.setStatus(R.sid, "accepted")`)
	e.js(show)
	if e.num("T.shown.length") != 1 || e.num("T.cancelledNotifications.length") != 1 {
		t.Fatal("not suppressed during an internal call")
	}
	e.offer(plainAttrs)
	e.js(`T.setStatus(R.sid, "accepted")`)
	e.js(show)
	if e.num("T.shown.length") != 2 {
		t.Fatal("suppressed while an ordinary call is live too")
	}
	e.js(`T.flex.Notifications.showNotification("InternalCallError", {message: "x"})`)
	if e.num("T.shown.length") != 3 {
		t.Fatal("other notifications affected")
	}
}

func TestTaskDisplayShowsPeerLabelAndLiveStatus(t *testing.T) {
	e := newEnv(t, "")
	e.offer(callerAttrs)
	render := func(comp, slot string) string {
		return e.str(`T.renderTemplate(T.task(R.sid), "` + comp + `", "` + slot + `")`)
	}
	if got := render("TaskListItem", "firstLine"); got != "Bob Baker" {
		t.Errorf("name %q", got)
	}
	if got := render("TaskListItem", "secondLine"); got != "Internal call · Connecting…" {
		t.Errorf("status %q", got)
	}
	e.js(`T.updateTaskAttributes(R.taskSid, function(a){ a.internal_call.status = "ringing" })`)
	if got := render("TaskCanvasHeader", "secondLine"); got != "Internal call · Ringing…" {
		t.Errorf("after update %q", got)
	}
	e.js(`T.updateTaskAttributes(R.taskSid, function(a){ a.internal_call.status = "failed"; a.internal_call.reason = "<b>busy</b>" })`)
	if got := render("CallCanvas", "secondLine"); got != "Internal call · Failed: &lt;b&gt;busy&lt;/b&gt;" {
		t.Errorf("failed %q", got)
	}
	for _, s := range []string{"declined", "no-answer", "connected"} {
		e.js(`T.updateTaskAttributes(R.taskSid, function(a){ a.internal_call.status = "` + s + `" })`)
		want := map[string]string{"declined": "Declined", "no-answer": "No answer", "connected": "Connected"}[s]
		if got := render("IncomingTaskCanvas", "secondLine"); got != "Internal call · "+want {
			t.Errorf("%s: %q", s, got)
		}
	}
	// names are data, never markup or template code
	e.offer(`{client_call: true, name: "{{task.sid}} <i>", internal_call: {role: "callee", status: "ringing"}}`)
	if got := render("TaskCanvasHeader", "title"); got != "{{task.sid}} &lt;i&gt;" {
		t.Errorf("name fallback/escaping %q", got)
	}
	// an ordinary call keeps Flex's channels
	e.offer(plainAttrs)
	if !e.js(`T.flex.TaskChannels.getForTask(T.task(R.sid)).name === "voice"`).Truthy() {
		t.Error("ordinary task uses the internal-call channel")
	}
}

func TestTaskDisplayInTheAgentsLanguage(t *testing.T) {
	for locale, want := range map[string]string{
		"es-MX": "Llamada interna · Timbrando…", "es-ES": "Llamada interna · Sonando…", "pt-BR": "Chamada interna · Chamando…",
		"th": "การโทรภายใน · กำลังส่งเสียงเรียก…", "zh-CN": "内部通话 · 正在振铃…", "fr-FR": "Internal call · Ringing…",
	} {
		e := newEnv(t, `{locale: "`+locale+`"}`)
		e.offer(calleeAttrs)
		if got := e.str(`T.renderTemplate(T.task(R.sid), "TaskListItem", "secondLine")`); got != want {
			t.Errorf("%s: %q, want %q", locale, got, want)
		}
	}
}

// Every language carries every English string, with the same placeholders.
func TestEveryLanguageHasEveryString(t *testing.T) {
	for _, p := range bridgeStrings.Check() {
		t.Error(p)
	}
}

// Hold is offered only to the agent who can use it: never while the call is
// still ringing, never to the party on hold (only the agent who held can take
// them off it); both tasks say who is on hold.
func TestHoldOfferedOnlyToTheHolderOfAConnectedCall(t *testing.T) {
	e := newEnv(t, "")
	hold := func() bool {
		return strings.Contains(","+e.str(`T.flex.CallCanvasActions.Content.keys({task: T.task(R.sid)}).join(",")`)+",", ",hold,")
	}
	line := func() string { return e.str(`T.renderTemplate(T.task(R.sid), "CallCanvas", "secondLine")`) }
	set := func(js string) { e.js(`T.updateTaskAttributes(R.taskSid, function(a){ ` + js + ` })`) }

	e.offer(callerAttrs) // Alice calls Bob
	e.js(`T.setStatus(R.sid, "accepted")`)
	set(`a.internal_call.status = "ringing"`)
	if hold() {
		t.Error("Hold offered while the call is still ringing")
	}
	set(`a.internal_call.status = "connected"`)
	if !hold() {
		t.Error("Hold not offered on a connected call")
	}
	set(`a.internal_call.held = "callee"`) // Alice held Bob
	if !hold() {
		t.Error("the agent who held is not offered Unhold")
	}
	if got := line(); got != "Internal call · On hold" {
		t.Errorf("holder's display %q", got)
	}

	e.offer(calleeAttrs) // Bob held Alice (peer_name: Bob Baker)
	e.js(`T.setStatus(R.sid, "accepted")`)
	set(`a.internal_call.status = "connected"; a.internal_call.held = "callee"`)
	if hold() {
		t.Error("the party on hold is offered Unhold")
	}
	if got := line(); got != "Internal call · On hold — by Bob Baker" {
		t.Errorf("held party's display %q", got)
	}
	set(`a.internal_call.held = ""`)
	if !hold() || line() != "Internal call · Connected" {
		t.Errorf("after resume: hold offered %v, display %q", hold(), line())
	}
	// an ordinary call keeps Flex's own Hold
	e.offer(plainAttrs)
	if !hold() {
		t.Error("ordinary call lost its Hold button")
	}
}

// A queue call says who is on the line and through which queue, from the
// server's record: the caller sees "Bob Baker (Sales)" once Bob answered,
// the callee "Alice Andrews via Sales".
func TestQueueCallDisplaysWhoAndWhichQueue(t *testing.T) {
	e := newEnv(t, "")
	name := func() string { return e.str(`T.renderTemplate(T.task(R.sid), "TaskListItem", "firstLine")`) }
	e.offer(`{client_call: true, direction: "outbound", to: "queue:Sales", callToQueue: "Sales", name: "Sales", targetWorker: "client:alice", internal_call: {role: "caller", target: "queue", status: "ringing", peer_name: "Sales"}}`)
	if got := name(); got != "Sales" {
		t.Errorf("caller while ringing: %q", got)
	}
	e.js(`T.updateTaskAttributes(R.taskSid, function(a){ a.internal_call.status = "connected"; a.internal_call.peer_name = "Bob Baker"; a.internal_call.via = "Sales" })`)
	if got := name(); got != "Bob Baker (Sales)" {
		t.Errorf("caller once answered: %q", got)
	}
	e.offer(`{client_call: true, direction: "inbound", to: "queue:Sales", callToQueue: "Sales", name: "Alice Andrews", internal_call: {role: "callee", target: "queue", status: "ringing", peer_name: "Alice Andrews", via: "<b>Sales</b>"}}`)
	if got := name(); got != "Alice Andrews via &lt;b&gt;Sales&lt;/b&gt;" {
		t.Errorf("callee: %q", got)
	}
}
