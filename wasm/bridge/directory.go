//go:build js && wasm

package main

import (
	"strings"
	"sync"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// The agent directory: ONE live query of the tr-worker index per session,
// kept current from its itemUpdated/itemRemoved events, closed on stop. A
// second fixed query of the tr-task index (assigned voice tasks) tells who is
// on a call: a worker on a call usually stays in an available activity. The
// dialpad searches the list itself, so no search text ever goes into a query
// expression. Changes are coalesced: at most one directory message per
// sendInterval, however many workers change.

const sendInterval = 250 * time.Millisecond // ≤ 4 sends per second

// onCallExpression selects the voice tasks someone is talking on, in the
// tr-task index's own field names (task_status and task_channel_unique_name
// are tr-reservation fields).
const onCallExpression = `data.channel_unique_name == "voice" AND data.status == "assigned"`

type dirWorker struct {
	frameproto.Worker        // as the frame gets it; Availability is set per message
	activitySid       string // worker_activity_sid
	obj               jsv    // toJS(Worker), made by the first message that lists it
}

type directory struct {
	b *bridge

	mu       sync.Mutex
	workers  map[string]*dirWorker // a change stores a new one
	calls    map[string]string     // assigned voice task SID → worker SID
	loaded   bool
	query    jsv
	tasks    jsv // the tr-task query
	closed   bool
	pending  bool // a send is scheduled
	lastSent time.Time
	err      string
}

func newDirectory(b *bridge) *directory {
	d := &directory{b: b, workers: map[string]*dirWorker{}, calls: map[string]string{}, query: undefined, tasks: undefined}
	b.onStop(d.close)
	go d.open()
	go d.openCalls()
	return d
}

func (d *directory) open() {
	b := d.b
	ic := get(b.manager, "insightsClient")
	if !isFunc(get(ic, "liveQuery")) {
		d.fail("manager.insightsClient is not available")
		return
	}
	pr, err := ic.Call("liveQuery", "tr-worker", "")
	if err != nil {
		d.fail(cleanErr(err))
		return
	}
	q, err := await(pr)
	if err != nil {
		d.fail(err.Error())
		return
	}
	d.mu.Lock()
	if d.closed { // stopped while the query was opening
		d.mu.Unlock()
		_, _ = q.Call("close")
		return
	}
	d.query = q
	d.mu.Unlock()

	items := undefined
	if isFunc(get(q, "getItems")) {
		items, _ = q.Call("getItems")
	}
	d.mu.Lock()
	forEach(items, func(_ string, v jsv) {
		if w := parseWorker(v); w.WorkerSid != "" {
			d.workers[w.WorkerSid] = w
		}
	})
	d.loaded = true
	d.mu.Unlock()
	b.on(q, "itemUpdated", func(args []jsv) {
		if len(args) == 0 {
			return
		}
		w := parseWorker(get(args[0], "value"))
		if w.WorkerSid == "" {
			w.WorkerSid = str(args[0], "key")
		}
		if w.WorkerSid == "" {
			return
		}
		d.mu.Lock()
		d.workers[w.WorkerSid] = w
		d.mu.Unlock()
		d.changed()
	})
	b.on(q, "itemRemoved", func(args []jsv) {
		if len(args) == 0 {
			return
		}
		d.mu.Lock()
		delete(d.workers, str(args[0], "key"))
		d.mu.Unlock()
		d.changed()
	})
	d.changed()
}

// openCalls follows the assigned voice tasks. Without it the directory still
// works, with availability from activities only.
func (d *directory) openCalls() {
	b := d.b
	ic := get(b.manager, "insightsClient")
	if !isFunc(get(ic, "liveQuery")) {
		return
	}
	pr, err := ic.Call("liveQuery", "tr-task", onCallExpression)
	if err != nil {
		return
	}
	q, err := await(pr)
	if err != nil {
		if c := get(b.win, "console"); isFunc(get(c, "warn")) {
			_, _ = c.Call("warn", "flex-internal-call: who is on a call is unknown: "+err.Error())
		}
		return
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		_, _ = q.Call("close")
		return
	}
	d.tasks = q
	d.mu.Unlock()
	items := undefined
	if isFunc(get(q, "getItems")) {
		items, _ = q.Call("getItems")
	}
	d.mu.Lock()
	forEach(items, func(key string, v jsv) {
		if w := str(v, "worker_sid"); w != "" {
			d.calls[key] = w
		}
	})
	d.mu.Unlock()
	b.on(q, "itemUpdated", func(args []jsv) {
		if len(args) == 0 {
			return
		}
		key, w := str(args[0], "key"), str(args[0], "value", "worker_sid")
		d.mu.Lock()
		if w == "" {
			delete(d.calls, key)
		} else {
			d.calls[key] = w
		}
		d.mu.Unlock()
		d.changed()
	})
	b.on(q, "itemRemoved", func(args []jsv) {
		if len(args) == 0 {
			return
		}
		d.mu.Lock()
		delete(d.calls, str(args[0], "key"))
		d.mu.Unlock()
		d.changed()
	})
	d.changed()
}

func (d *directory) fail(msg string) {
	d.mu.Lock()
	d.err = msg
	d.mu.Unlock()
	d.b.notifyError("Flex Internal Call: " + msg)
}

func parseWorker(v jsv) *dirWorker {
	w := &dirWorker{
		Worker: frameproto.Worker{
			WorkerSid:    str(v, "worker_sid"),
			FullName:     str(v, "attributes", "full_name"),
			FriendlyName: str(v, "friendly_name"),
			ContactURI:   str(v, "attributes", "contact_uri"),
			ActivityName: str(v, "activity_name"),
		},
		activitySid: str(v, "worker_activity_sid"),
	}
	return w
}

func (d *directory) close() {
	d.mu.Lock()
	d.closed = true
	queries := []jsv{d.query, d.tasks}
	d.query, d.tasks = undefined, undefined
	d.mu.Unlock()
	for _, q := range queries {
		if isFunc(get(q, "close")) {
			_, _ = q.Call("close")
		}
	}
}

// changed schedules a send, coalescing bursts.
func (d *directory) changed() {
	d.mu.Lock()
	if d.pending || d.closed {
		d.mu.Unlock()
		return
	}
	d.pending = true
	wait := sendInterval - time.Since(d.lastSent)
	d.mu.Unlock()
	if wait <= 0 {
		go d.flush()
		return
	}
	time.AfterFunc(wait, d.flush)
}

func (d *directory) flush() {
	d.mu.Lock()
	d.pending = false
	d.lastSent = time.Now()
	d.mu.Unlock()
	if d.b.dial != nil {
		d.b.dial.sendDirectory()
	}
	if d.b.panels != nil {
		d.b.panels.sendDirectory()
	}
}

// worker is a listed worker by SID.
func (d *directory) worker(sid string) (frameproto.Worker, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if w := d.workers[sid]; w != nil {
		return w.Worker, true
	}
	return frameproto.Worker{}, false
}

// message is the directory message as the frame gets it: the agent
// excluded, in no particular order (the frame sorts: search.NewDirectory);
// ok is false until the query has loaded.
func (d *directory) message() (msg string, ok bool) {
	avail := d.b.activityAvailability()
	self := d.b.selfWorkerSid()
	d.mu.Lock()
	if !d.loaded {
		d.mu.Unlock()
		return "", false
	}
	list := make([]*dirWorker, 0, len(d.workers))
	for sid, w := range d.workers {
		if sid != self && w.ContactURI != "" {
			if w.obj.IsUndefined() {
				w.obj = toJS(w.Worker)
			}
			list = append(list, w)
		}
	}
	onCall := make(map[string]bool, len(d.calls))
	for _, w := range d.calls {
		onCall[w] = true
	}
	d.mu.Unlock()
	// Each worker's object is cached; a message only sets its availability
	// (one of four JavaScript strings, made once here) and lists it.
	arr := newArray()
	avJS := make(map[frameproto.Availability]jsv, 4)
	for i, w := range list {
		a := availability(w, avail, onCall[w.WorkerSid])
		v, ok := avJS[a]
		if !ok {
			v, _ = safejs.ValueOf(string(a))
			avJS[a] = v
		}
		_ = w.obj.Set(availabilityKey, v)
		_ = arr.SetIndex(i, w.obj)
	}
	return encodeJS(frameproto.TypeDirectory, newObject(workersKey, arr)), true
}

// The members of frameproto.Directory and frameproto.Worker the directory
// message sets itself (the test of the directory checks them).
const (
	workersKey      = "workers"
	availabilityKey = "availability"
)

// activityAvailability maps activity SIDs to their `available` flag, from the
// workspace's activities the SDK knows (workerClient.activities, a Map).
func (b *bridge) activityAvailability() map[string]bool {
	out := map[string]bool{}
	forEach(get(b.manager, "workerClient", "activities"), func(key string, a jsv) {
		sid := str(a, "sid")
		if sid == "" {
			sid = key
		}
		out[sid] = isTrue(a, "available")
	})
	return out
}

// availability: offline (the Offline activity), on a call (an assigned voice
// task, or an activity whose name says so, e.g. "On a Call" / "Busy"),
// unavailable (any other non-available activity), available.
func availability(w *dirWorker, avail map[string]bool, onCall bool) frameproto.Availability {
	name := strings.ToLower(w.ActivityName)
	if name == "offline" {
		return frameproto.Offline
	}
	if onCall {
		return frameproto.OnCall
	}
	ok, known := avail[w.activitySid]
	if !known {
		ok = name == "available" || name == "idle"
	}
	if ok {
		return frameproto.Available
	}
	if strings.Contains(name, "call") || name == "busy" {
		return frameproto.OnCall
	}
	return frameproto.Unavailable
}
