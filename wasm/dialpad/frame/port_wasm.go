//go:build js && wasm

package frame

import (
	"math"
	"sync"
	"syscall/js"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// browserPort listens to window "message" events through a Gate, posts to
// window.parent with exact target origins, and reports the content height
// whenever a ResizeObserver sees the body change size.
type browserPort struct {
	mu         sync.Mutex
	gate       *Gate
	parent     js.Value
	body       js.Value
	onMessage  js.Func
	onResize   js.Func
	observer   js.Value
	lastHeight int
}

// NewBrowserPort reads the allowed origins from the page's meta tag.
func NewBrowserPort() Port {
	win := js.Global()
	doc := win.Get("document")
	var content string
	if meta := doc.Call("querySelector", `meta[name="`+MetaOrigins+`"]`); meta.Truthy() {
		content = meta.Call("getAttribute", "content").String()
	}
	g := NewGate(ParseOrigins(content))
	g.SetParentOrigin(parentOrigin(win, doc))
	return &browserPort{gate: g, parent: win.Get("parent"), body: doc.Get("body")}
}

// parentOrigin is the framing page's origin: location.ancestorOrigins[0]
// (Chromium, Safari), else the referrer's origin (the framing page's URL
// under the default referrer policy); "" when neither tells.
func parentOrigin(win, doc js.Value) string {
	if ao := win.Get("location").Get("ancestorOrigins"); ao.Truthy() && ao.Length() > 0 {
		return ao.Index(0).String()
	}
	if ref := doc.Get("referrer").String(); ref != "" {
		if u := win.Get("URL"); u.Truthy() {
			return u.New(ref).Get("origin").String()
		}
	}
	return ""
}

func (p *browserPort) Start(deliver func(frameproto.Envelope)) {
	p.onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ev := args[0]
		data := ev.Get("data")
		if data.Type() != js.TypeString {
			return nil
		}
		p.mu.Lock()
		wasPinned := p.gate.Pinned() != ""
		env, ok := p.gate.Accept(ev.Get("origin").String(), ev.Get("source").Equal(p.parent), data.String())
		p.mu.Unlock()
		if !ok {
			return nil
		}
		deliver(env)
		if !wasPinned {
			p.postHeight(true) // the host can size the frame right away
		}
		return nil
	})
	js.Global().Call("addEventListener", "message", p.onMessage)

	p.onResize = js.FuncOf(func(js.Value, []js.Value) any {
		p.postHeight(false)
		return nil
	})
	if ro := js.Global().Get("ResizeObserver"); ro.Truthy() {
		p.observer = ro.New(p.onResize)
		p.observer.Call("observe", p.body)
	}
}

// postHeight reports the body's height when it changed (or always when forced).
func (p *browserPort) postHeight(force bool) {
	h := int(math.Ceil(p.body.Call("getBoundingClientRect").Get("height").Float()))
	p.mu.Lock()
	changed := h != p.lastHeight
	if changed || force {
		p.lastHeight = h
	}
	p.mu.Unlock()
	if changed || force {
		p.Post(frameproto.TypeHeight, frameproto.Height{Px: h})
	}
}

func (p *browserPort) Post(t frameproto.Type, payload any) {
	s, err := frameproto.Encode(t, payload)
	if err != nil {
		return
	}
	p.mu.Lock()
	targets := p.gate.Targets(t)
	p.mu.Unlock()
	for _, origin := range targets {
		p.parent.Call("postMessage", s, origin)
	}
}

func (p *browserPort) Stop() {
	js.Global().Call("removeEventListener", "message", p.onMessage)
	if p.observer.Truthy() {
		p.observer.Call("disconnect")
	}
	p.onMessage.Release()
	p.onResize.Release()
}
