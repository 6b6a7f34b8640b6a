//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n"
)

// The dialpad frame: an <iframe src="<server>/dialpad/"> added to Flex's
// OutboundDialerPanel, spoken to with the frameproto protocol. Messages are
// accepted only from the server's exact origin AND from this iframe's window
// (Flex and other plugins post messages too), and sent only to that origin.

const (
	dialpadKey     = "flex-internal-call-dialpad"
	dialpadPath    = "/dialpad/"
	initialHeightP = 260
	maxHeightPx    = 2000
)

type dialpadHost struct {
	b *bridge
	f features

	mu     sync.Mutex
	iframe jsv // the mounted element, undefined while unmounted
	ready  bool
	// lastDir is the directory message the frame has: a flush due since
	// before ready would otherwise send it again.
	lastDir string
}

func newDialpadHost(b *bridge, f features) *dialpadHost {
	h := &dialpadHost{b: b, f: f, iframe: undefined}
	content := get(b.flex, "OutboundDialerPanel", "Content")
	react := get(b.win, "React")
	if !isFunc(get(content, "add")) || !isFunc(get(react, "createElement")) {
		b.notifyError("Flex Internal Call: the Flex dialpad panel cannot be extended (OutboundDialerPanel or React missing)")
		return h
	}
	// React calls the ref again (with null) when it unmounts the iframe, which
	// may happen after stop(): this callback is never released.
	ref, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		h.mu.Lock()
		if len(args) > 0 && isObject(args[0]) {
			h.iframe = args[0]
		} else {
			h.iframe = undefined
		}
		h.ready = false
		h.mu.Unlock()
		return nil
	})
	if err != nil {
		return h
	}
	style := newObject("border", "0", "width", "100%", "height", itoa(initialHeightP)+"px", "display", "block")
	props := newObject("key", dialpadKey, "src", call.JoinURL(b.base, dialpadPath), "title", b.text(sLabel),
		"ref", ref, "style", style, "allow", "")
	el, err := react.Call("createElement", "iframe", props)
	if err != nil {
		b.notifyError("Flex Internal Call: " + cleanErr(err))
		return h
	}
	if err := b.addContent(content, el, newObject("sortOrder", 1), dialpadKey); err != nil {
		b.notifyError("Flex Internal Call: " + cleanErr(err))
		return h
	}
	b.onMessage(h.receive)
	return h
}

// receive handles one message event.
func (h *dialpadHost) receive(ev jsv) {
	if str(ev, "origin") != h.b.origin {
		return
	}
	h.mu.Lock()
	frame := get(h.iframe, "contentWindow")
	h.mu.Unlock()
	if !isObject(frame) || !get(ev, "source").Equal(frame) {
		return
	}
	typ, payload, ok := eventMessage(ev)
	if !ok {
		return
	}
	switch typ {
	case frameproto.TypeReady:
		h.mu.Lock()
		h.ready, h.lastDir = true, ""
		h.mu.Unlock()
		h.sendInit()
	case frameproto.TypeHeight:
		if px, ok := decodeHeight(payload); ok {
			h.mu.Lock()
			iframe := h.iframe
			h.mu.Unlock()
			resizeFrame(iframe, px)
		}
	case frameproto.TypePlaceCall:
		if isObject(payload) {
			h.b.place.place(decodePlaceCall(payload))
		}
	case frameproto.TypeDismissMissed:
		if h.b.missed != nil {
			h.b.missed.dismiss(str(payload, "id"))
		}
	}
}

// sendInit configures a (re)loaded frame and gives it everything it shows.
func (h *dialpadHost) sendInit() {
	b := h.b
	h.send(encode(frameproto.TypeInit, frameproto.Init{
		Theme:         theme(b.manager),
		Language:      i18n.Match(locale(b.manager)),
		Features:      frameproto.Features{CallAgent: h.f.callAgent, CallQueue: h.f.callQueue, BlockBusy: h.f.blockBusy},
		SelfWorkerSid: b.selfWorkerSid(),
	}))
	if h.f.callAgent {
		h.sendDirectory()
	}
	if h.f.callQueue {
		go h.sendQueues()
	}
	if cs := b.place.lastStatus(); cs != nil {
		h.send(encode(frameproto.TypeCallStatus, *cs))
	}
	if b.missed != nil {
		if l := b.missed.list(); isArray(l) {
			if n, _ := l.Length(); n > 0 {
				b.missed.send(l)
			}
		}
	}
}

func (h *dialpadHost) sendDirectory() {
	h.mu.Lock()
	ready := h.ready
	h.mu.Unlock()
	if h.b.dir == nil || !ready { // not written for nobody: sendInit sends it on ready
		return
	}
	msg, ok := h.b.dir.message()
	h.mu.Lock()
	ok = ok && msg != h.lastDir
	if ok {
		h.lastDir = msg
	}
	h.mu.Unlock()
	if ok {
		h.send(msg)
	}
}

func (h *dialpadHost) sendQueues() { h.send(h.b.queuesMessage()) }

// queuesMessage is the queues message, loaded from the server: the list, or
// why it could not be loaded.
func (b *bridge) queuesMessage() string {
	qs, err := b.queues()
	out := frameproto.Queues{Queues: []frameproto.Queue{}}
	if err != nil {
		out.Error = b.text(sErrQueues, "error", err.Error())
	}
	for _, q := range qs {
		out.Queues = append(out.Queues, frameproto.Queue{Name: q.Name, FriendlyName: orDefault(q.FriendlyName, q.Name)})
	}
	return encode(frameproto.TypeQueues, out)
}

// send posts a message to the frame, only to the server origin, only once
// the frame said it is ready.
func (h *dialpadHost) send(msg string) {
	h.mu.Lock()
	frame := get(h.iframe, "contentWindow")
	ready := h.ready
	h.mu.Unlock()
	if !ready || !isObject(frame) {
		return
	}
	_, _ = frame.Call("postMessage", msg, h.b.origin)
}

// theme is "dark" when Flex's theme configuration says so, else "light".
func theme(manager jsv) string {
	t := get(manager, "configuration", "theme")
	if v := get(t, "isLight"); v.Type() == safejs.TypeBoolean {
		if b, _ := v.Bool(); !b {
			return "dark"
		}
		return "light"
	}
	if v := get(t, "light"); v.Type() == safejs.TypeBoolean {
		if b, _ := v.Bool(); !b {
			return "dark"
		}
	}
	if strings.Contains(strings.ToLower(str(t, "baseName")), "dark") {
		return "dark"
	}
	return "light"
}

func itoa(n int) string { return strconv.Itoa(n) }
