//go:build js && wasm

package main

import (
	"strings"
	"testing"
)

// The missed calls the server keeps in the worker's attributes reach the
// dialpad at load and on each change; a new one is also a notification; the
// dialpad's Dismiss and Call back remove it through the server.
func TestMissedCallsReachTheDialpadAndANewOneIsNotified(t *testing.T) {
	id1, id2 := sidOf("WT", 1), sidOf("WT", 2)
	saved := beforeStart
	beforeStart = `T.manager.workerClient.attributes.missed_calls = [{id: "` + id1 + `", from: "client:bob", from_name: "Bob Baker", from_worker_sid: "WKb", at: 1700000000}]`
	e := newEnv(t, "")
	beforeStart = saved
	e.mount()
	e.ready()
	e.eventually(`FRAME.contentWindow.received.some(function(m){ return JSON.parse(m.data).type === "missed-calls" })`)
	if got := e.str(`JSON.stringify(` + e.last("missed-calls") + `)`); got != `{"missed_calls":[{"id":"`+id1+`","from":"client:bob","from_name":"Bob Baker","from_worker_sid":"WKb","at":1700000000}]}` {
		t.Errorf("missed-calls %s", got)
	}
	e.wantNoNotification() // the ones there at load are listed, not announced

	// The server adds one: the SDK worker says its attributes changed.
	e.js(`var wc = T.manager.workerClient; wc.attributes = Object.assign({}, wc.attributes, {missed_calls: [{id: "` + id2 + `", from: "client:carol", from_name: "Carol <i>", at: 1700000100}].concat(wc.attributes.missed_calls)}); wc.emit("attributesUpdated", wc)`)
	e.wantShown("InternalCallWarning: Missed call from Carol &lt;i&gt;")
	if n := e.num(e.last("missed-calls") + `.missed_calls.length`); n != 2 {
		t.Errorf("the dialpad has %d missed calls, want 2", n)
	}

	e.js(`T.server.routes["DELETE /api/missed-calls/` + id2 + `"] = function () { return {} }`)
	e.post(env1("dismiss-missed", `{id: "`+id2+`"}`), testBase, "FRAME.contentWindow")
	e.post(env1("dismiss-missed", `{id: "../calls"}`), testBase, "FRAME.contentWindow") // not a missed call's id
	e.eventually(`T.server.requests.some(function(r){ return r.method === "DELETE" })`)
	settle()
	var dels []string
	for _, s := range strings.Split(e.str(`T.server.requests.filter(function(r){ return r.method === "DELETE" }).map(function(r){ return r.url + " " + r.token }).join("\n")`), "\n") {
		dels = append(dels, s)
	}
	if len(dels) != 1 || dels[0] != testBase+"/api/missed-calls/"+id2+" jwe-1" {
		t.Errorf("DELETE requests %q", dels)
	}
	if s := e.shown(); strings.Contains(s, "could not be removed") {
		t.Errorf("dismiss failed: %s", s)
	}
}
