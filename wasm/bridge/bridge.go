//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/wasm/i18n"
)

// options are what the shim tells the bridge.
type options struct {
	// Base is the server's public base URL (scheme, host, optional path prefix).
	Base string
}

// bridge is one session of the plugin in one Flex page.
type bridge struct {
	flex, manager, win jsv
	base               string // server base URL, no trailing slash
	origin             string // server origin, for postMessage checks
	lang               string // one of the i18n language tags (i18n.Match)

	mu       sync.Mutex
	cleanups []func()
	funcs    []safejs.Func
	stopped  bool

	dial   *dialpadHost
	dir    *directory
	place  *placer
	missed *missedCalls
	panels *panelHost
}

// start installs every hook. Errors name what is missing in the Flex surface.
func start(flex, manager jsv, o options) (*bridge, error) {
	base := strings.TrimRight(o.Base, "/")
	origin := originOf(base)
	if origin == "" {
		return nil, fmt.Errorf("the server base URL %q is not an absolute http(s) URL", o.Base)
	}
	for _, need := range [][]string{{"Actions", "addListener"}, {"Notifications", "showNotification"}} {
		if !isFunc(get(flex, need...)) {
			return nil, fmt.Errorf("flex.%s is missing: this Flex UI version is not supported", strings.Join(need, "."))
		}
	}
	if !isObject(get(manager, "workerClient")) {
		return nil, errors.New("manager.workerClient is missing: the agent has no TaskRouter worker")
	}
	b := &bridge{
		flex: flex, manager: manager, win: safejs.Global(),
		base: base, origin: origin,
		lang: i18n.Match(locale(manager)),
	}
	b.registerNotifications()
	b.hookAccept()
	b.hookReject()
	b.hookHold()
	b.hookHangup()
	b.hideTransfer()
	b.hookTransfer()
	b.hookKick()
	b.hideHold()
	b.registerTaskChannel()
	b.place = newPlacer(b)
	// The dialpad and directory exist only where the feature is enabled; the
	// hooks above also serve agents who receive internal calls.
	if f := b.features(); f.enabled {
		b.dial = newDialpadHost(b, f)
		if f.callAgent {
			b.dir = newDirectory(b)
		}
	}
	b.missed = newMissedCalls(b)
	b.panels = newPanelHost(b, b.features())
	return b, nil
}

// stop removes every hook the session installed and closes its queries.
func (b *bridge) stop() {
	b.mu.Lock()
	if b.stopped {
		b.mu.Unlock()
		return
	}
	b.stopped = true
	cleanups, funcs := b.cleanups, b.funcs
	b.cleanups, b.funcs = nil, nil
	b.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	for _, f := range funcs {
		f.Release()
	}
}

// onStop registers a teardown step.
func (b *bridge) onStop(f func()) {
	b.mu.Lock()
	b.cleanups = append(b.cleanups, f)
	b.mu.Unlock()
}

// fn wraps a Go callback for JavaScript; it is released on stop.
func (b *bridge) fn(f func(this jsv, args []jsv) any) safejs.Func {
	jf, err := safejs.FuncOf(f)
	if err != nil {
		panic(err) // only fails when the Go runtime cannot allocate a function slot
	}
	b.mu.Lock()
	b.funcs = append(b.funcs, jf)
	b.mu.Unlock()
	return jf
}

// on subscribes to an EventEmitter-style object and unsubscribes on stop.
func (b *bridge) on(target jsv, event string, f func(args []jsv)) {
	if !isFunc(get(target, "on")) && !isFunc(get(target, "addListener")) {
		return
	}
	cb := b.fn(func(_ jsv, args []jsv) any { f(args); return nil })
	add, remove := "on", "removeListener"
	if !isFunc(get(target, "on")) {
		add = "addListener"
	}
	if _, err := target.Call(add, event, cb); err != nil {
		return
	}
	b.onStop(func() {
		if isFunc(get(target, remove)) {
			_, _ = target.Call(remove, event, cb)
		} else if isFunc(get(target, "off")) {
			_, _ = target.Call("off", event, cb)
		}
	})
}

// addContent adds a React element to a Flex content store (…Content.add)
// until stop. Flex 2 answers add with the function that undoes it; other
// stores are asked to remove the key, which Flex cannot take back.
func (b *bridge) addContent(content, el, options jsv, key string) error {
	undo, err := content.Call("add", el, options)
	if err != nil {
		return err
	}
	b.onStop(func() {
		if isFunc(undo) {
			_, _ = undo.Invoke()
		} else if isFunc(get(content, "remove")) {
			_, _ = content.Call("remove", key)
		}
	})
	return nil
}

// onMessage hears the window's message events until stop.
func (b *bridge) onMessage(f func(ev jsv)) {
	cb := b.fn(func(_ jsv, args []jsv) any {
		if len(args) > 0 {
			f(args[0])
		}
		return nil
	})
	if _, err := b.win.Call("addEventListener", "message", cb); err == nil {
		b.onStop(func() { _, _ = b.win.Call("removeEventListener", "message", cb) })
	}
}

func locale(manager jsv) string {
	if l := str(manager, "localization", "localeTag"); l != "" {
		return l
	}
	if l := str(manager, "configuration", "language"); l != "" {
		return l
	}
	return str(safejs.Global(), "navigator", "language")
}

// features is ui_attributes.custom_data.features.internal_call.
type features struct {
	enabled, callAgent, callQueue, blockBusy bool
}

func (b *bridge) features() features {
	ic := get(b.manager, "serviceConfiguration", "ui_attributes", "custom_data", "features", "internal_call")
	if !isObject(ic) {
		return features{}
	}
	return features{
		enabled:   isTrue(ic, "enabled"),
		callAgent: boolOr(ic, true, "enable_call_agent"),
		callQueue: boolOr(ic, true, "enable_call_queue"),
		blockBusy: boolOr(ic, false, "block_busy"),
	}
}

// selfContactURI is the agent's own contact_uri.
func (b *bridge) selfContactURI() string {
	return str(b.manager, "workerClient", "attributes", "contact_uri")
}

func (b *bridge) selfWorkerSid() string { return str(b.manager, "workerClient", "sid") }

// selfName is the agent's display name.
func (b *bridge) selfName() string {
	for _, p := range [][]string{{"workerClient", "attributes", "full_name"}, {"workerClient", "friendlyName"}, {"workerClient", "name"}} {
		if s := str(b.manager, p...); s != "" {
			return s
		}
	}
	return b.selfContactURI()
}

// originOf is the origin of an absolute http(s) URL, "" for anything else
// (the browser's URL parser decides, as it does for postMessage).
func originOf(base string) string {
	ctor := get(safejs.Global(), "URL")
	if !isFunc(ctor) {
		return ""
	}
	u, err := ctor.New(base)
	if err != nil {
		return ""
	}
	if p := str(u, "protocol"); p != "https:" && p != "http:" {
		return ""
	}
	if str(u, "host") == "" {
		return ""
	}
	return str(u, "origin")
}
