package ui

import (
	"time"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// panelLink is the participants panel's side of the bridge's API relay: the
// requests in flight by id, and the timer of the next poll.
type panelLink struct {
	sent     map[int]PanelRequest
	lastID   int
	stopPoll func() bool
	stopped  bool // dismounted: no more polls
}

// startTimer runs f after a delay and returns what stops it; tests replace
// it to run polls when they choose. (A package variable rather than a field:
// the dialpad's type then does not carry time.Duration's methods along.)
var startTimer = func(delay time.Duration, f func()) (stop func() bool) { return time.AfterFunc(delay, f).Stop }

func (l *panelLink) stop() {
	l.stopped = true
	l.cancelPoll()
}

func (l *panelLink) cancelPoll() {
	if l.stopPoll != nil {
		l.stopPoll()
		l.stopPoll = nil
	}
}

// receive applies one host message on the UI goroutine: the panel's answers
// and nudges here, the rest in the model.
func (d *Dialpad) receive(env frameproto.Envelope) {
	switch env.Type {
	case frameproto.TypeAPIAnswer:
		var a frameproto.APIAnswer
		if env.Into(&a) == nil {
			d.answer(a)
		}
	case frameproto.TypeCallChanged:
		d.pollNow()
	default:
		task := d.m.Init.TaskSid
		d.m.Receive(env)
		if d.m.Init.TaskSid != task {
			d.link.sent = nil // answers about another task's list
			d.pollNow()
		}
	}
}

// request posts an api-request the model made, remembering what it was.
func (d *Dialpad) request(r PanelRequest, ok bool) {
	if !ok || d.port == nil {
		return
	}
	l := &d.link
	l.lastID++
	if l.sent == nil {
		l.sent = map[int]PanelRequest{}
	}
	l.sent[l.lastID] = r
	d.port.Post(frameproto.TypeAPIRequest, frameproto.APIRequest{ID: l.lastID, Method: r.Method, Path: r.Path, Body: r.Body})
}

// answer applies the answer to one of our requests, then asks for the list
// now or schedules the next poll.
func (d *Dialpad) answer(a frameproto.APIAnswer) {
	r, ok := d.link.sent[a.ID]
	if !ok {
		return
	}
	delete(d.link.sent, a.ID)
	if d.m.PanelAnswer(r, a) {
		d.pollNow()
	} else if r.Action == ActList {
		d.schedulePoll(d.m.PollDelay())
	}
}

// pollNow asks for the list at once (or as soon as the GET in flight is
// answered).
func (d *Dialpad) pollNow() {
	if d.link.stopped {
		return
	}
	d.link.cancelPoll()
	d.request(d.m.ListRequest())
}

func (d *Dialpad) schedulePoll(delay time.Duration) {
	l := &d.link
	if l.stopped {
		return
	}
	l.cancelPoll()
	ctx := d.ctx
	l.stopPoll = startTimer(delay, func() { ctx.Dispatch(func(app.Context) { d.pollNow() }) })
}
