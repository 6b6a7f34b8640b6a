//go:build js && wasm

package main

import (
	"errors"
	"strings"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// Placing a call from the dialpad: the bridge creates the caller's task with
// workerClient.createTask in the outbound call flow's workflow; TaskRouter
// routes it back to this agent, whose Flex accepts it automatically
// (AcceptTask → actions_accept.go places the caller's leg, in the tab that
// placed the call only). The frame is kept
// informed with call-status messages that follow the caller task's
// internal_call.status.

type placer struct {
	b *bridge

	mu      sync.Mutex
	busy    bool   // a call is being placed or is not final yet
	taskSid string // the caller task of the call placed from this session
	peer    string
	last    *frameproto.CallStatus
	seen    map[string]jsv // caller tasks offered before createTask answered
	unwatch func()
}

func newPlacer(b *bridge) *placer {
	p := &placer{b: b, seen: map[string]jsv{}}
	wc, _ := b.manager.Get("workerClient")
	b.on(wc, "reservationCreated", func(args []jsv) {
		if len(args) > 0 {
			p.onReservation(args[0])
		}
	})
	b.onStop(func() {
		p.mu.Lock()
		unwatch := p.unwatch
		p.unwatch = nil
		p.mu.Unlock()
		if unwatch != nil {
			unwatch()
		}
	})
	return p
}

// place handles a place-call request of the frame.
func (p *placer) place(pc frameproto.PlaceCall) {
	b := p.b
	p.mu.Lock()
	if p.busy {
		p.mu.Unlock()
		b.notifyWarning(b.text(sErrBusy))
		return
	}
	p.mu.Unlock()

	target, err := p.check(pc)
	if err != nil {
		b.notifyWarning(err.Error())
		p.report(frameproto.CallStatus{Status: string(call.StatusFailed), PeerName: pc.Name, Reason: err.Error()})
		return
	}
	flow := get(b.manager, "serviceConfiguration", "outbound_call_flows", "default")
	self := call.Caller{ContactURI: b.selfContactURI(), Name: b.selfName()}

	p.mu.Lock()
	if p.busy { // a second click between the check above and here
		p.mu.Unlock()
		return
	}
	p.busy, p.taskSid, p.peer = true, "", target.Name
	p.mu.Unlock()
	p.report(frameproto.CallStatus{Status: "placing", PeerName: target.Name})

	go func() {
		sid, err := p.createTask(self, target, str(flow, "workflow_sid"), str(flow, "queue_sid"))
		if err != nil {
			p.mu.Lock()
			p.busy = false
			p.mu.Unlock()
			msg := b.text(sErrPlace, "error", err.Error())
			b.notifyError(msg)
			p.report(frameproto.CallStatus{Status: string(call.StatusFailed), PeerName: target.Name, Reason: err.Error()})
			return
		}
		p.mu.Lock()
		p.taskSid = sid
		early := p.seen[sid]
		p.seen = map[string]jsv{}
		p.mu.Unlock()
		p.report(frameproto.CallStatus{Status: string(call.StatusInitiated), PeerName: target.Name})
		if isObject(early) {
			p.follow(early)
		}
	}()
}

// check applies the guards; its errors are agent-readable.
func (p *placer) check(pc frameproto.PlaceCall) (call.Target, error) {
	b := p.b
	flow := get(b.manager, "serviceConfiguration", "outbound_call_flows", "default")
	if !isTrue(flow, "enabled") || str(flow, "workflow_sid") == "" || str(flow, "queue_sid") == "" {
		return call.Target{}, errors.New(b.text(sErrConfig))
	}
	f := b.features()
	self := b.selfContactURI()
	if self == "" {
		return call.Target{}, errors.New(b.text(sErrNoContact))
	}
	if peer, on := b.onCall(); on {
		// TaskRouter would not route the caller's task to an agent whose
		// voice capacity the live call takes: say so instead.
		return call.Target{}, errors.New(b.text(sErrOnCall, "name", peer))
	}
	switch call.TargetKind(pc.Kind) {
	case call.TargetAgent:
		if !f.enabled || !f.callAgent {
			return call.Target{}, errors.New(b.text(sErrDisabled))
		}
		if !call.ValidContactURI(pc.ContactURI) {
			return call.Target{}, errors.New(b.text(sErrNoTarget))
		}
		if pc.ContactURI == self || (pc.WorkerSid != "" && pc.WorkerSid == b.selfWorkerSid()) {
			return call.Target{}, errors.New(b.text(sErrSelf))
		}
		return call.Target{Kind: call.TargetAgent, ContactURI: pc.ContactURI, Name: orDefault(pc.Name, pc.ContactURI)}, nil
	case call.TargetQueue:
		if !f.enabled || !f.callQueue {
			return call.Target{}, errors.New(b.text(sErrDisabled))
		}
		if strings.TrimSpace(pc.QueueName) == "" {
			return call.Target{}, errors.New(b.text(sErrNoTarget))
		}
		return call.Target{Kind: call.TargetQueue, QueueName: pc.QueueName, Name: orDefault(pc.Name, pc.QueueName)}, nil
	}
	return call.Target{}, errors.New(b.text(sErrNoTarget))
}

// onCall reports whether the agent is on a voice call (an accepted task in
// Flex's store), and with whom.
func (b *bridge) onCall() (peer string, on bool) {
	forEach(get(b.storeState(), "flex", "worker", "tasks"), func(_ string, t jsv) {
		if ch := str(t, "taskChannelUniqueName"); !on && str(t, "status") == "accepted" && (ch == "" || ch == "voice") {
			peer, on = orDefault(peerName(t), str(t, "attributes", "from")), true
		}
	})
	return peer, on
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// createTask creates the caller's task and returns its SID.
func (p *placer) createTask(self call.Caller, target call.Target, workflowSid, queueSid string) (string, error) {
	b := p.b
	attrs := toJS(attributeFields(call.CallerAttributes(self, target)))
	wc, _ := b.manager.Get("workerClient")
	pr, err := wc.Call("createTask", target.Address(), self.ContactURI, workflowSid, queueSid,
		newObject("taskChannelUniqueName", "voice", "attributes", attrs))
	if err != nil {
		return "", errors.New(cleanErr(err))
	}
	v, err := await(pr)
	if err != nil {
		return "", err
	}
	if v.Type() == safejs.TypeString {
		s, _ := v.String()
		return s, nil
	}
	if s := str(v, "sid"); s != "" {
		return s, nil
	}
	return "", errors.New("TaskRouter returned no task SID")
}

// attributeFields is call.Attributes without its methods: the object is built
// from its fields and json tags. Handed to toJS as a call.Attributes (in an
// interface), its String method would be linked in, since fmt calls String on
// what it formats, and with it encoding/json: about 100 KB more brotli.
type attributeFields call.Attributes

// onReservation starts following the caller task placed from this session.
// Accepting it is Flex's own doing: its WorkerListener auto-accepts an
// agent's initial outbound attempt task (AcceptTask, then SelectTask), in
// every tab of the agent; owns tells the accept hook which tab placed it.
func (p *placer) onReservation(res jsv) {
	task := get(res, "task")
	if !isInternal(task) || role(task) != call.RoleCaller {
		return
	}
	self := p.b.selfContactURI()
	if t := str(task, "attributes", "targetWorker"); t != "" && t != self {
		return
	}
	sid := taskSid(task)
	p.mu.Lock()
	mine := sid != "" && sid == p.taskSid
	early := !mine && p.busy && p.taskSid == ""
	if early {
		p.seen[sid] = task
	}
	p.mu.Unlock()
	if mine {
		p.follow(task)
	}
	if mine || early {
		p.watchReservation(res, sid)
	}
}

// owns reports whether the caller task was placed from this session (or is
// being placed: TaskRouter may offer it before createTask answers).
func (p *placer) owns(taskSid string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, seen := p.seen[taskSid]
	return taskSid != "" && (taskSid == p.taskSid || seen || (p.busy && p.taskSid == ""))
}

// reservationEnded are the SDK reservation events after which the caller's
// call cannot go on, whatever the task's attributes say.
var reservationEnded = []string{"rejected", "timeout", "canceled", "rescinded", "wrapup", "completed"}

// watchReservation frees the guard when the caller's reservation ends, so a
// status update that never comes cannot block the dialpad.
func (p *placer) watchReservation(res jsv, taskSid string) {
	for _, ev := range reservationEnded {
		cb, err := safejs.FuncOf(func(jsv, []jsv) any {
			p.ended(taskSid)
			return nil
		})
		if err != nil {
			return
		}
		if _, err := res.Call("on", ev, cb); err != nil {
			cb.Release()
			return
		}
		p.b.onStop(func() { _, _ = res.Call("removeListener", ev, cb) })
	}
}

// ended frees the guard for the call of taskSid if it is still the current one.
func (p *placer) ended(taskSid string) {
	p.mu.Lock()
	if p.taskSid != taskSid || !p.busy {
		p.mu.Unlock()
		return
	}
	p.busy = false
	unwatch := p.unwatch
	p.unwatch = nil
	p.mu.Unlock()
	if unwatch != nil {
		go unwatch()
	}
}

// follow reports the caller task's status changes to the frame until final.
func (p *placer) follow(task jsv) {
	cb, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		t := task
		if len(args) > 0 && isObject(get(args[0], "attributes")) {
			t = args[0]
		}
		p.onStatus(t)
		return nil
	})
	if err != nil {
		return
	}
	_, _ = task.Call("on", "updated", cb)
	p.mu.Lock()
	if p.unwatch != nil {
		p.unwatch()
	}
	p.unwatch = func() {
		_, _ = task.Call("removeListener", "updated", cb)
		cb.Release()
	}
	p.mu.Unlock()
	p.onStatus(task)
}

func (p *placer) onStatus(task jsv) {
	s := call.Status(status(task))
	if !s.Valid() {
		return
	}
	p.mu.Lock()
	if sid := taskSid(task); sid != p.taskSid {
		p.mu.Unlock()
		return
	}
	peer := peerName(task)
	if peer == "" {
		peer = p.peer
	}
	cs := frameproto.CallStatus{Status: string(s), PeerName: peer, Via: str(task, "attributes", "internal_call", "via"), Reason: str(task, "attributes", "internal_call", "reason")}
	if p.last != nil && *p.last == cs {
		p.mu.Unlock()
		return
	}
	var unwatch func()
	if s.Final() {
		p.busy = false
		unwatch, p.unwatch = p.unwatch, nil
	}
	p.mu.Unlock()
	p.report(cs)
	if unwatch != nil {
		go unwatch() // not inside the emitter's own dispatch
	}
	if s == call.StatusFailed {
		p.b.notifyError(p.b.text(sErrCallFailed, "name", peer, "reason", orDefault(cs.Reason, p.b.text(sStatusPrefix+string(s)))))
	}
}

// report sends a status to the frame and remembers it for a frame that
// (re)loads later.
func (p *placer) report(cs frameproto.CallStatus) {
	p.mu.Lock()
	p.last = &cs
	p.mu.Unlock()
	if p.b.dial != nil {
		p.b.dial.send(encode(frameproto.TypeCallStatus, cs))
	}
}

// lastStatus is the latest status reported, if any.
func (p *placer) lastStatus() *frameproto.CallStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}
