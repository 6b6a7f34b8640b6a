//go:build js && wasm

package main

import (
	"strings"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// The participants panel: Flex's call canvas (CallCanvas.Content) of every
// internal call gets an iframe of the dialpad page, told which call it shows
// (frameproto Init.TaskSid). The panel lists the parties and offers
// transfer, consult and add number. It reaches the server only through the
// bridge (api-request), which adds the agent's token and calls the API of
// the panel's own task, never one the panel names. When Flex renders the
// canvas with a changed task, the panel is told (call-changed) and asks
// the server again.

const (
	panelKey      = "flex-internal-call-panel"
	panelTaskAttr = "data-internal-call-task"
)

type panelHost struct {
	b *bridge
	f features

	mu     sync.Mutex
	panels map[string]*panel // by task SID, once the frame said ready
	seen   map[string]string // by task SID: the task as last rendered
}

// panel is one mounted panel frame.
type panel struct {
	iframe  jsv
	lastDir string // the directory message it has
}

func newPanelHost(b *bridge, f features) *panelHost {
	h := &panelHost{b: b, f: f, panels: map[string]*panel{}, seen: map[string]string{}}
	content := get(b.flex, "CallCanvas", "Content")
	react := get(b.win, "React")
	if !isFunc(get(content, "add")) || !isFunc(get(react, "createElement")) {
		return h // an older Flex: internal calls work, without the panel
	}
	// Flex renders the component and evaluates the condition for as long as
	// the content is registered, possibly after stop(): neither is released.
	comp, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		if len(args) == 0 {
			return nil
		}
		return h.render(react, get(args[0], "task"))
	})
	if err != nil {
		return h
	}
	// Only while the agent is on the call: a canvas in wrap-up has no one
	// left to transfer or add.
	cond, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		if len(args) == 0 {
			return false
		}
		task := get(args[0], "task")
		return isInternal(task) && str(task, "status") == "accepted"
	})
	if err != nil {
		return h
	}
	el, err := react.Call("createElement", comp, newObject("key", panelKey))
	if err != nil {
		return h
	}
	if err := b.addContent(content, el, newObject("sortOrder", 100, "if", cond), panelKey); err != nil {
		b.notifyError("Flex Internal Call: " + cleanErr(err))
		return h
	}
	b.onMessage(h.receive)
	return h
}

// render is the panel component: the iframe of the task's call (Flex gives
// CallCanvas children its props, CallCanvasChildrenProps, a TaskContextProps
// with the task). A task that changed since its last render tells its panel.
func (h *panelHost) render(react, task jsv) any {
	sid := taskSid(task)
	if sid == "" {
		return nil
	}
	now := jsonString(get(task, "attributes"))
	h.mu.Lock()
	changed := h.seen[sid] != now
	h.seen[sid] = now
	p := h.panels[sid]
	h.mu.Unlock()
	if changed && p != nil {
		h.changed(sid)
	}
	style := newObject("border", "0", "width", "100%", "height", "0px", "display", "block")
	el, err := react.Call("createElement", "iframe", newObject("key", sid, panelTaskAttr, sid,
		"src", call.JoinURL(h.b.base, dialpadPath), "title", h.b.text(sParticipants), "style", style, "allow", ""))
	if err != nil {
		return nil
	}
	return el
}

// changed tells a task's panel to ask the server again (after a transfer
// the bridge itself asked for).
func (h *panelHost) changed(sid string) {
	h.mu.Lock()
	p := h.panels[sid]
	h.mu.Unlock()
	if p != nil {
		h.post(p, encode(frameproto.TypeCallChanged, nil))
	}
}

// frameOf finds the mounted panel iframe a message event came from.
func (h *panelHost) frameOf(ev jsv) (iframe jsv, task string, ok bool) {
	if str(ev, "origin") != h.b.origin {
		return undefined, "", false
	}
	src := get(ev, "source")
	list, err := get(h.b.win, "document").Call("querySelectorAll", "iframe["+panelTaskAttr+"]")
	if err != nil {
		return undefined, "", false
	}
	n, _ := list.Length()
	for i := 0; i < n; i++ {
		f, err := list.Index(i)
		if err != nil {
			break
		}
		if w := get(f, "contentWindow"); isObject(w) && src.Equal(w) {
			sid, _ := f.Call("getAttribute", panelTaskAttr)
			s, _ := sid.String()
			return f, s, s != ""
		}
	}
	return undefined, "", false
}

func (h *panelHost) receive(ev jsv) {
	iframe, sid, ok := h.frameOf(ev)
	if !ok {
		return
	}
	typ, payload, ok := eventMessage(ev)
	if !ok {
		return
	}
	switch typ {
	case frameproto.TypeReady:
		p := &panel{iframe: iframe}
		h.mu.Lock()
		h.panels[sid] = p
		h.mu.Unlock()
		h.sendInit(p, sid)
	case frameproto.TypeHeight:
		if px, ok := decodeHeight(payload); ok {
			resizeFrame(iframe, px)
		}
	case frameproto.TypeAPIRequest:
		h.mu.Lock()
		p := h.panels[sid]
		h.mu.Unlock()
		if p != nil && isObject(payload) {
			go h.api(p, sid, payload)
		}
	}
}

// sendInit configures a (re)loaded panel: its call, and the directory and
// queues its transfer picker offers.
func (h *panelHost) sendInit(p *panel, sid string) {
	b := h.b
	fs := frameproto.Features{CallAgent: b.dir != nil, CallQueue: h.f.enabled && h.f.callQueue, BlockBusy: h.f.blockBusy}
	h.post(p, encode(frameproto.TypeInit, frameproto.Init{
		Theme: theme(b.manager), Language: b.lang, Features: fs, SelfWorkerSid: b.selfWorkerSid(), TaskSid: sid,
	}))
	h.sendDirectory()
	if fs.CallQueue {
		go func() { h.post(p, b.queuesMessage()) }()
	}
}

// sendDirectory gives every panel the directory it does not have yet.
func (h *panelHost) sendDirectory() {
	if h.b.dir == nil {
		return
	}
	msg, ok := h.b.dir.message()
	if !ok {
		return
	}
	h.mu.Lock()
	var to []*panel
	for _, p := range h.panels {
		if p.lastDir != msg {
			p.lastDir = msg
			to = append(to, p)
		}
	}
	h.mu.Unlock()
	for _, p := range to {
		h.post(p, msg)
	}
}

// post sends a message to a panel; a panel whose iframe is gone is forgotten.
func (h *panelHost) post(p *panel, msg string) {
	w := get(p.iframe, "contentWindow")
	if !isObject(w) || !isTrue(p.iframe, "isConnected") {
		h.mu.Lock()
		for sid, q := range h.panels {
			if q == p {
				delete(h.panels, sid)
				delete(h.seen, sid)
			}
		}
		h.mu.Unlock()
		return
	}
	_, _ = w.Call("postMessage", msg, h.b.origin)
}

// api runs one api-request of a panel against its own call and answers it.
func (h *panelHost) api(p *panel, sid string, req jsv) {
	id := get(req, "id")
	method, path := str(req, "method"), str(req, "path")
	if !panelAPI(method, path) {
		h.post(p, encodeJS(frameproto.TypeAPIAnswer, newObject("id", id, "status", 400,
			"error", "not an API of the participants panel: "+method+" "+path)))
		return
	}
	body, err := h.b.send(method, call.CallURL(h.b.base, sid, path), get(req, "body"))
	answer := newObject("id", id, "status", 200)
	if err != nil {
		status := 0 // the server could not be reached
		if se, ok := err.(serverError); ok {
			status = se.status
		}
		_ = answer.Set("status", status)
		_ = answer.Set("error", err.Error())
	}
	if !body.IsUndefined() {
		_ = answer.Set("body", body)
	}
	h.post(p, encodeJS(frameproto.TypeAPIAnswer, answer))
}

// panelAPI reports whether a request is one of the transfer and participant
// endpoints (server/httpapi/parties.go): the panel can call nothing else.
func panelAPI(method, path string) bool {
	switch method + " " + path {
	case "GET " + call.PathParticipants, "POST " + call.PathParticipants, "POST " + call.PathTransfer,
		"POST " + call.PathTransferComplete, "POST " + call.PathTransferCancel:
		return true
	}
	rest, ok := strings.CutPrefix(path, call.PathParticipants+"/")
	label, action, _ := strings.Cut(rest, "/")
	if !ok || !(label == call.LabelCaller || label == call.LabelCallee || call.IsPartyLabel(label)) {
		return false
	}
	return method == "DELETE" && action == "" && !strings.HasSuffix(rest, "/") ||
		method == "POST" && (action == "hold" || action == "unhold")
}

// resizeFrame sets an iframe's height to what its content reported.
func resizeFrame(iframe jsv, px int) {
	px = max(0, min(px, maxHeightPx))
	if style := get(iframe, "style"); isObject(style) {
		_ = style.Set("height", itoa(px)+"px")
	}
}
