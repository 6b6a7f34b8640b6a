//go:build js && wasm

package main

import (
	"strings"
	"testing"
)

// The participants panel: PANEL is the iframe node the stub rendered in the
// call canvas of task R; it "posts" with its window as source.

const bobWorker = `{worker_sid: "WK` + "0000000000000000000000000000000b" + `", friendly_name: "bob", activity_name: "Available", worker_activity_sid: "WA0000000000000000000000000000001", attributes: {full_name: "Bob Baker", contact_uri: "client:bob"}}`

// renderPanel renders the call canvas of R, accepted, and names its panel PANEL.
func (e *env) renderPanel() {
	e.t.Helper()
	e.js(`T.setStatus(R.sid, "accepted"); globalThis.PANELS = T.renderCallCanvas(R); globalThis.PANEL = PANELS[0];`)
	if e.num("PANELS.length") != 1 {
		e.t.Fatalf("call canvas rendered %d panels", e.num("PANELS.length"))
	}
}

func (e *env) panelPost(typ, payload string) {
	e.t.Helper()
	e.post(env1(typ, payload), testBase, "PANEL.contentWindow")
}

// panelGot lists the message types the panel got, comma-separated.
func (e *env) panelGot() string {
	return e.str(`PANEL.contentWindow.received.map(function(m){ return JSON.parse(m.data).type }).join(",")`)
}

func panelLast(typ string) string {
	return `(function(){ var r = PANEL.contentWindow.received.map(function(m){ return JSON.parse(m.data) }).filter(function(m){ return m.type === "` + typ + `" }); return r.length ? r[r.length-1].payload : undefined })()`
}

func TestPanelIsInTheCallCanvasOfInternalCallsOnly(t *testing.T) {
	e := newEnv(t, "")
	e.offer(plainAttrs)
	e.js(`T.setStatus(R.sid, "accepted")`)
	if n := e.num(`T.renderCallCanvas(R).length`); n != 0 {
		t.Fatalf("an ordinary call's canvas has %d panels", n)
	}
	e.offer(calleeAttrs)
	if n := e.num(`T.renderCallCanvas(R).length`); n != 0 {
		t.Fatalf("a pending internal call's canvas has %d panels", n)
	}
	e.renderPanel()
	if got := e.str("PANEL.src"); got != testBase+"/dialpad/" {
		t.Errorf("src %s", got)
	}
	if got, want := e.str(`PANEL.getAttribute("data-internal-call-task")`), e.str("R.taskSid"); got != want {
		t.Errorf("panel task %s, want %s", got, want)
	}
	// a render with the same task keeps the frame (it must not reload)
	if !e.js(`T.renderCallCanvas(R)[0] === PANEL`).Truthy() {
		t.Error("the panel frame was replaced on a second render")
	}
	e.js(`T.setStatus(R.sid, "wrapping")`)
	if n := e.num(`T.renderCallCanvas(R).length`); n != 0 || e.js(`PANEL.isConnected`).Truthy() {
		t.Errorf("the canvas in wrap-up keeps %d panels", n)
	}
}

func TestPanelReadyGetsItsCallTheDirectoryAndQueues(t *testing.T) {
	e := newEnv(t, `{feature: {enabled: true, enable_call_agent: true, enable_call_queue: true}, workers: [`+bobWorker+`]}`)
	e.offer(calleeAttrs)
	e.renderPanel()
	e.eventually("T.liveQueries.length === 2")
	settle()
	e.panelPost("ready", "")
	e.eventually(`PANEL.contentWindow.received.length >= 3`)
	got := e.panelGot()
	for _, want := range []string{"init", "directory", "queues"} {
		if !strings.Contains(got, want) {
			t.Errorf("panel got %s, no %s", got, want)
		}
	}
	if got, want := e.str(panelLast("init")+`.task_sid`), e.str("R.taskSid"); got != want {
		t.Errorf("init task_sid %s, want %s", got, want)
	}
	if !e.js(panelLast("init") + `.features.call_agent`).Truthy() {
		t.Error("panel not offered agents")
	}
	if got := e.str(panelLast("directory") + `.workers[0].contact_uri`); got != "client:bob" {
		t.Errorf("directory %s", got)
	}
}

func TestPanelRequestsGoToItsOwnCallWithTheToken(t *testing.T) {
	beforeStart = `T.server.routes = {}`
	defer func() { beforeStart = "" }()
	e := newEnv(t, "")
	rsid := e.offer(calleeAttrs)
	_ = rsid
	task := e.str("R.taskSid")
	e.js(`T.server.routes["POST /api/calls/` + task + `/transfer"] = function () { return {status: 200, body: {status: "ok", label: "transfer-1"}} };
		T.server.routes["POST /api/calls/` + task + `/transfer/complete"] = function () { return {status: 409, body: {error: "Carol Chen has not joined yet", status: 409, code: "conflict"}} };`)
	e.renderPanel()
	e.panelPost("ready", "")
	e.eventually(`PANEL.contentWindow.received.length >= 1`)

	e.panelPost("api-request", `{id: 7, method: "POST", path: "/transfer", body: {target: "client:carol", name: "Carol Chen", mode: "warm"}}`)
	e.eventually(panelLast("api-answer") + ` !== undefined`)
	if got := e.str(`JSON.stringify(` + panelLast("api-answer") + `)`); got != `{"id":7,"status":200,"body":{"status":"ok","label":"transfer-1"}}` {
		t.Errorf("answer %s", got)
	}
	r := `T.server.requests[T.server.requests.length-1]`
	if got, want := e.str(r+`.method + " " + `+r+`.url`), "POST "+testBase+"/api/calls/"+task+"/transfer"; got != want {
		t.Errorf("request %s, want %s", got, want)
	}
	if e.str(r+`.token`) != "jwe-1" || e.str(r+`.headers["Content-Type"]`) != "application/json" {
		t.Errorf("token %s, content type %s", e.str(r+`.token`), e.str(r+`.headers["Content-Type"]`))
	}
	if got := e.str(r + `.body`); got != `{"target":"client:carol","name":"Carol Chen","mode":"warm"}` {
		t.Errorf("body %s", got)
	}

	// A refusal reaches the panel with its status and the server's reason.
	e.panelPost("api-request", `{id: 8, method: "POST", path: "/transfer/complete"}`)
	e.eventually(panelLast("api-answer") + `.id === 8`)
	if got := e.str(`JSON.stringify([` + panelLast("api-answer") + `.status, ` + panelLast("api-answer") + `.error])`); got != `[409,"Carol Chen has not joined yet"]` {
		t.Errorf("refusal %s", got)
	}
	if e.js(r + `.body !== undefined`).Truthy() {
		t.Error("a request without a body was sent one")
	}
}

func TestPanelCannotCallAnythingElse(t *testing.T) {
	e := newEnv(t, "")
	e.offer(calleeAttrs)
	e.renderPanel()
	e.panelPost("ready", "")
	e.eventually(`PANEL.contentWindow.received.length >= 1`)
	for i, req := range []string{
		`{method: "POST", path: "/hangup"}`, `{method: "GET", path: "/participants/../hangup"}`, `{method: "DELETE", path: "/participants/caller/"}`,
		`{method: "DELETE", path: "/participants/nobody"}`, `{method: "PUT", path: "/participants"}`, `{method: "POST", path: "/participants/external-1/mute"}`,
		`{method: "GET", path: "https://evil.example/participants"}`,
	} {
		id := itoa(100 + i)
		e.panelPost("api-request", `Object.assign({id: `+id+`}, `+req+`)`)
		e.eventually(panelLast("api-answer") + `.id === ` + id)
		if got := e.num(panelLast("api-answer") + `.status`); got != 400 {
			t.Errorf("%s: status %d, want 400", req, got)
		}
	}
	if n := e.num(`T.server.requests.filter(function(r){ return r.url.indexOf("/api/calls/") >= 0 }).length`); n != 0 {
		t.Errorf("%d call requests reached the server", n)
	}
	// the allowed ones, for the record
	for _, ok := range [][2]string{{"GET", "/participants"}, {"DELETE", "/participants/external-2"}, {"POST", "/participants/callee/hold"}, {"POST", "/transfer/cancel"}} {
		if !panelAPI(ok[0], ok[1]) {
			t.Errorf("%s %s refused", ok[0], ok[1])
		}
	}
}

func TestPanelIgnoresOtherWindowsAndOrigins(t *testing.T) {
	e := newEnv(t, "")
	e.offer(calleeAttrs)
	e.renderPanel()
	e.post(env1("ready", ""), "https://evil.example", "PANEL.contentWindow")
	e.post(env1("ready", ""), testBase, "{postMessage: function(){}}")
	settle()
	if got := e.panelGot(); got != "" {
		t.Errorf("panel got %q", got)
	}
}

func TestPanelToldWhenItsTaskChanges(t *testing.T) {
	e := newEnv(t, "")
	e.offer(calleeAttrs)
	e.renderPanel()
	e.panelPost("ready", "")
	e.eventually(`PANEL.contentWindow.received.length >= 1`)
	e.js(`T.renderCallCanvas(R)`)
	settle()
	if strings.Contains(e.panelGot(), "call-changed") {
		t.Fatalf("told of a change without one: %s", e.panelGot())
	}
	e.js(`R.attributes = Object.assign({}, R.attributes, {internal_call_parties: [{label: "transfer-1", status: "ringing"}]}); T.renderCallCanvas(R)`)
	e.eventually(`PANEL.contentWindow.received.some(function(m){ return JSON.parse(m.data).type === "call-changed" })`)
}

func TestTransferTaskOnAnInternalCallIsTheServersTransfer(t *testing.T) {
	beforeStart = `T.server.routes = {}`
	defer func() { beforeStart = "" }()
	e := newEnv(t, `{feature: {enabled: true, enable_call_agent: true, enable_call_queue: true}, workers: [`+bobWorker+`]}`)
	e.eventually("T.liveQueries.length === 2")
	e.offer(calleeAttrs)
	task := e.str("R.taskSid")
	e.js(`T.server.routes["POST /api/calls/` + task + `/transfer"] = function () { return {status: 200, body: {status: "ok", label: "transfer-1"}} };`)
	wantCancelled(t, "TransferTask", e.invoke("TransferTask", `{sid: R.sid, targetSid: "WK0000000000000000000000000000000b", options: {mode: "WARM"}}`))
	e.eventually(`T.server.requests.some(function(r){ return /\/transfer$/.test(r.url) })`)
	body := e.str(`T.server.requests.filter(function(r){ return /\/transfer$/.test(r.url) })[0].body`)
	if body != `{"target":"client:bob","name":"Bob Baker","mode":"warm"}` {
		t.Errorf("body %s", body)
	}
	// a queue by its SID; an unknown target is refused with a notification
	wantCancelled(t, "TransferTask", e.invoke("TransferTask", `{sid: R.sid, targetSid: "WQ`+strings.Repeat("0", 31)+`5"}`))
	e.eventually(`T.server.requests.filter(function(r){ return /\/transfer$/.test(r.url) }).length === 2`)
	if body := e.str(`T.server.requests.filter(function(r){ return /\/transfer$/.test(r.url) })[1].body`); body != `{"target":"queue:Sales","name":"Sales team","mode":"cold"}` {
		t.Errorf("queue body %s", body)
	}
	wantCancelled(t, "TransferTask", e.invoke("TransferTask", `{sid: R.sid, targetSid: "WK00000000000000000000000000000099"}`))
	e.wantShown("could not be transferred")
}

func TestTransferTaskOnAnOrdinaryCallIsFlexs(t *testing.T) {
	e := newEnv(t, "")
	e.offer(plainAttrs)
	if err := e.invoke("TransferTask", `{sid: R.sid, targetSid: "WK0000000000000000000000000000000b"}`); err != nil {
		t.Fatalf("TransferTask on an ordinary call: %v", err)
	}
	if n := e.num("T.server.requests.length"); n != 0 {
		t.Errorf("%d requests to the internal call server", n)
	}
}

func TestKickParticipantOnAnInternalCallIsRefused(t *testing.T) {
	e := newEnv(t, "")
	e.offer(calleeAttrs)
	wantCancelled(t, "KickParticipant", e.invoke("KickParticipant", `{sid: R.sid, targetSid: "CA1"}`))
	e.wantShown("participants panel")
	e.offer(plainAttrs)
	if err := e.invoke("KickParticipant", `{sid: R.sid, targetSid: "CA1"}`); err != nil {
		t.Fatalf("KickParticipant on an ordinary call: %v", err)
	}
}
