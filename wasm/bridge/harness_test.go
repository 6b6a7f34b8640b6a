//go:build js && wasm

package main

import (
	"os"
	"strings"
	"sync"
	"syscall/js"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
)

// The tests drive the bridge against server/twiliosim/flexdesk/flexstub.js (the
// Flex stand-in, in its in-memory mode) loaded into this program's JavaScript global, with the
// server's browser API faked by the stub's fetch function.

const testBase = "https://ic.example.com"

var loadStub sync.Once

// beforeStart is JavaScript run between the stub's creation and the bridge's start.
var beforeStart string

type env struct {
	t testing.TB
	b *bridge
}

// newEnv creates a Flex stub with the given options (a JS object literal),
// fakes the server, and starts a bridge session (stopped at test end).
func newEnv(t testing.TB, opts string) *env {
	t.Helper()
	loadStub.Do(func() {
		src, err := os.ReadFile("../../server/twiliosim/flexdesk/flexstub.js")
		if err != nil {
			t.Fatal(err)
		}
		js.Global().Call("eval", string(src))
		js.Global().Call("eval", `globalThis.__evalCaught = function (code) {
			try { return {value: (0, eval)(code)}; } catch (e) { return {error: String(e && e.stack || e)}; } }`)
		js.Global().Get("FlexStub").Call("installWindow", js.Global())
		// the bridge logs each notification to console.warn; keep test output quiet
		js.Global().Call("eval", `globalThis.warnings = []; console.warn = function(){ warnings.push([].join.call(arguments, " ")) }`)
		// no unhandled promise rejection, ever (node reports them on process)
		js.Global().Call("eval", `globalThis.unhandled = []; if (typeof process !== "undefined") process.on("unhandledRejection", function(e){ unhandled.push(String(e && e.message || e)) })`)
	})
	if opts == "" {
		opts = "{}"
	}
	e := &env{t: t}
	e.js(`globalThis.T = FlexStub.create(` + opts + `);
		T.server = FlexStub.createServer("` + testBase + `", {queues: [{name: "Sales", queue_sid: "WQ` + strings.Repeat("0", 31) + `5", friendly_name: "Sales team"}]});
		globalThis.fetch = T.server.fetch;`)
	if beforeStart != "" {
		e.js(beforeStart)
	}
	b, err := start(e.val("T.flex"), e.val("T.manager"), options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	e.b = b
	t.Cleanup(func() {
		b.stop()
		settle()
		if n := js.Global().Get("unhandled").Length(); n > 0 {
			t.Errorf("%d unhandled promise rejections, first: %s", n, js.Global().Get("unhandled").Index(0).String())
			js.Global().Set("unhandled", js.Global().Get("Array").New())
		}
	})
	return e
}

// js evaluates JavaScript in the global scope. An exception is caught in
// JavaScript and fails the test with its message: left to syscall/js, it
// would panic through the frames of any Go callback it passed on its way
// (a dispatched message re-enters the bridge), which the wasm runtime
// cannot always unwind ("traceback did not unwind completely").
func (e *env) js(code string) js.Value {
	e.t.Helper()
	r := js.Global().Call("__evalCaught", code)
	if msg := r.Get("error"); msg.Type() == js.TypeString {
		e.t.Fatalf("JavaScript exception: %s\nin: %s", msg.String(), code)
	}
	return r.Get("value")
}

func (e *env) val(code string) jsv { return safejs.Safe(e.js(code)) }

func (e *env) str(code string) string {
	e.t.Helper()
	v := e.js(code)
	if v.Type() != js.TypeString {
		e.t.Fatalf("%s is %s, not a string", code, v.Type())
	}
	return v.String()
}

func (e *env) num(code string) int {
	e.t.Helper()
	v := e.js(code)
	if v.Type() != js.TypeNumber {
		e.t.Fatalf("%s is %s, not a number", code, v.Type())
	}
	return v.Int()
}

// await evaluates an expression yielding a promise and waits for it.
func (e *env) await(code string) (jsv, error) {
	e.t.Helper()
	return await(e.val(code))
}

// eventually waits until a JavaScript boolean expression holds.
func (e *env) eventually(cond string) {
	e.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if e.js(cond).Truthy() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	e.t.Fatalf("timed out waiting for %s", cond)
}

// settle lets pending promises and goroutines run.
func settle() { time.Sleep(20 * time.Millisecond) }

// shown is the text of the notifications shown so far, joined by newlines.
func (e *env) shown() string {
	return e.str(`T.shown.map(function(n){ return n.id + ": " + n.text }).join("\n")`)
}

func (e *env) wantShown(substr string) {
	e.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(e.shown(), substr) {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	e.t.Fatalf("no notification containing %q; shown:\n%s", substr, e.shown())
}

func (e *env) wantNoNotification() {
	e.t.Helper()
	settle()
	if s := e.shown(); s != "" {
		e.t.Fatalf("unexpected notifications:\n%s", s)
	}
}

func sidOf(prefix string, n int) string {
	s := strings.Repeat("0", 32) + itoa(n)
	return prefix + s[len(s)-32:]
}
