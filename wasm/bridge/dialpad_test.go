//go:build js && wasm

package main

import (
	"strings"
	"testing"
	"time"
)

// The frame side in these tests: FRAME is the iframe node Flex mounted; the
// frame "posts" by dispatching a message event with its window as source.

func (e *env) mount() {
	e.t.Helper()
	e.js(`globalThis.FRAME = T.mountDialpad()[0];`)
	if e.str("FRAME.tagName") != "IFRAME" {
		e.t.Fatal("no iframe mounted")
	}
}

// post sends a message from the frame (origin and source as given).
func (e *env) post(msg, origin, source string) {
	e.t.Helper()
	e.js(`FlexStub.dispatchMessage(globalThis, {data: ` + msg + `, origin: "` + origin + `", source: ` + source + `})`)
}

func env1(typ, payload string) string {
	if payload == "" {
		return `JSON.stringify({ns: "flex-internal-call", v: 1, type: "` + typ + `"})`
	}
	return `JSON.stringify({ns: "flex-internal-call", v: 1, type: "` + typ + `", payload: ` + payload + `})`
}

func (e *env) ready() {
	e.t.Helper()
	e.post(env1("ready", ""), testBase, "FRAME.contentWindow")
}

// received is the list of message types the frame got, comma-separated.
func (e *env) received() string {
	return e.str(`FRAME.contentWindow.received.map(function(m){ return JSON.parse(m.data).type }).join(",")`)
}

// last is the payload of the frame's last message of a type.
func (e *env) last(typ string) string {
	return `(function(){ var r = FRAME.contentWindow.received.map(function(m){ return JSON.parse(m.data) }).filter(function(m){ return m.type === "` + typ + `" }); return r.length ? r[r.length-1].payload : undefined })()`
}

func TestDialpadIsAddedWithAKeyAndTheServerURL(t *testing.T) {
	e := newEnv(t, "")
	keys := e.str(`T.flex.OutboundDialerPanel.Content.keys().join(",")`)
	if keys != "dialpad,flex-internal-call-dialpad" {
		t.Fatalf("OutboundDialerPanel children: %s", keys)
	}
	e.mount()
	if got := e.str("FRAME.src"); got != testBase+"/dialpad/" {
		t.Errorf("src %s", got)
	}
}

func TestDialpadNotAddedWhenTheFeatureIsOff(t *testing.T) {
	for _, opts := range []string{`{feature: {enabled: false}}`, `{feature: null}`} {
		e := newEnv(t, opts)
		if got := e.str(`T.flex.OutboundDialerPanel.Content.keys().join(",")`); got != "dialpad" {
			t.Errorf("%s: dialpad added: %s", opts, got)
		}
		settle()
		if e.num("T.liveQueries.length") != 0 {
			t.Errorf("%s: directory queried", opts)
		}
	}
}

func TestReadyGetsInitDirectoryAndQueues(t *testing.T) {
	e := newEnv(t, `{locale: "es-MX", isLight: false, feature: {enabled: true, enable_call_agent: true, enable_call_queue: true},
		workers: [{worker_sid: "WKb", friendly_name: "bob", activity_name: "Available", worker_activity_sid: "WA`+strings.Repeat("0", 31)+`1", attributes: {full_name: "Bob Baker", contact_uri: "client:bob"}}]}`)
	e.mount()
	e.eventually("T.liveQueries.length === 2")
	settle()
	if e.num("FRAME.contentWindow.received.length") != 0 {
		t.Fatal("messages sent before the frame said ready")
	}
	e.ready()
	e.eventually(`FRAME.contentWindow.received.length >= 3`)
	if got := e.received(); got != "init,directory,queues" {
		t.Errorf("frame got %s", got)
	}
	if got := e.str(`JSON.stringify(` + e.last("init") + `)`); got != `{"theme":"dark","language":"es-MX","features":{"call_agent":true,"call_queue":true,"block_busy":false},"self_worker_sid":"WK0000000000000000000000000000000a"}` {
		t.Errorf("init %s", got)
	}
	if got := e.str(e.last("directory") + `.workers[0].full_name`); got != "Bob Baker" {
		t.Errorf("directory %s", got)
	}
	if got := e.str(`JSON.stringify(` + e.last("queues") + `)`); got != `{"queues":[{"name":"Sales","friendly_name":"Sales team"}]}` {
		t.Errorf("queues %s", got)
	}
	if e.num(`FRAME.contentWindow.received.filter(function(m){ return m.targetOrigin !== "`+testBase+`" }).length`) != 0 {
		t.Error("a message was posted to another origin than the server's")
	}
	if got := e.str("T.server.requests[0].token"); got != "jwe-1" {
		t.Errorf("queues fetched with token %q", got)
	}
}

func TestQueuesErrorGoesToTheFrame(t *testing.T) {
	e := newEnv(t, `{feature: {enabled: true, enable_call_agent: false, enable_call_queue: true}}`)
	e.mount()
	e.js(`T.server.validToken = function(){ return false }`)
	e.ready()
	e.eventually(`FRAME.contentWindow.received.length >= 2`)
	if got := e.received(); got != "init,queues" {
		t.Errorf("frame got %s (call agent is off: no directory)", got)
	}
	if got := e.str(e.last("queues") + ".error"); !strings.Contains(got, "session has expired") {
		t.Errorf("queues error %q", got)
	}
	if e.num("T.liveQueries.length") != 0 {
		t.Error("directory queried with call agent off")
	}
}

func TestFrameMessagesAreCheckedForOriginAndSource(t *testing.T) {
	e := newEnv(t, "")
	e.mount()
	e.post(env1("ready", ""), "https://evil.example", "FRAME.contentWindow")
	e.post(env1("ready", ""), testBase, "{}")
	e.post(env1("ready", ""), testBase, "globalThis")
	e.post(`{ns: "flex-internal-call", v: 1, type: "ready"}`, testBase, "FRAME.contentWindow") // not a string
	e.post(`JSON.stringify({ns: "other", v: 1, type: "ready"})`, testBase, "FRAME.contentWindow")
	e.post(`JSON.stringify({ns: "flex-internal-call", v: 2, type: "ready"})`, testBase, "FRAME.contentWindow")
	e.post(`"not json"`, testBase, "FRAME.contentWindow")
	settle()
	if n := e.num("FRAME.contentWindow.received.length"); n != 0 {
		t.Fatalf("a foreign message was answered (%d messages: %s)", n, e.received())
	}
	e.post(env1("place-call", `{kind: "agent", contact_uri: "client:bob", name: "Bob"}`), "https://evil.example", "FRAME.contentWindow")
	settle()
	if e.num("T.createdTasks.length") != 0 {
		t.Fatal("a place-call from another origin was obeyed")
	}
	e.ready()
	e.eventually(`FRAME.contentWindow.received.length >= 1`)
}

func TestHeightResizesTheIframe(t *testing.T) {
	e := newEnv(t, "")
	e.mount()
	e.ready()
	e.post(env1("height", `{px: 312}`), testBase, "FRAME.contentWindow")
	if got := e.str("FRAME.style.height"); got != "312px" {
		t.Errorf("height %s", got)
	}
	e.post(env1("height", `{px: 1e9}`), testBase, "FRAME.contentWindow")
	if got := e.str("FRAME.style.height"); got != "2000px" {
		t.Errorf("height not clamped: %s", got)
	}
	e.post(env1("height", `{px: "x"}`), testBase, "FRAME.contentWindow")
	if got := e.str("FRAME.style.height"); got != "2000px" {
		t.Errorf("bad height applied: %s", got)
	}
}

func TestAReloadedFrameIsInitialisedAgain(t *testing.T) {
	e := newEnv(t, `{feature: {enabled: true, enable_call_agent: false, enable_call_queue: false}}`)
	e.mount()
	e.ready()
	e.js(`T.unmountDialpad()`)
	e.mount()
	e.ready()
	if got := e.received(); got != "init" {
		t.Errorf("remounted frame got %q", got)
	}
}

// A directory change coalesced before the frame said ready goes out in the
// init; the flush that fires after must not send the same directory again
// (the frame got "init,directory,directory,queues").
func TestReadySendsTheDirectoryOnceWhenAChangeWasPending(t *testing.T) {
	e := newEnv(t, `{feature: {enabled: true, enable_call_agent: true, enable_call_queue: false},
		workers: [{worker_sid: "WKb", friendly_name: "bob", activity_name: "Available", worker_activity_sid: "WA`+strings.Repeat("0", 31)+`1", attributes: {full_name: "Bob Baker", contact_uri: "client:bob"}}]}`)
	e.mount()
	e.eventually("T.liveQueries.length === 2")
	settle()
	e.js(`T.updateWorker(` + worker("WKb", "bob", "Bob Baker", "client:bob", "Break", waBreak) + `)`)
	e.ready() // while the change's flush is still due
	e.eventually(`FRAME.contentWindow.received.length >= 2`)
	// The flush is due within sendInterval: past it, nothing more may come
	// (a slow machine can only make this pass, never fail, by chance).
	time.Sleep(2 * sendInterval)
	if got := e.received(); got != "init,directory" {
		t.Errorf("frame got %s", got)
	}
	if got := e.str(e.last("directory") + `.workers[0].activity_name`); got != "Break" {
		t.Errorf("directory sent %s", got)
	}
}
