//go:build js && wasm

package main

import (
	"slices"
	"strings"
	"sync"
	"time"

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

// onCallExpression selects the voice tasks someone is talking on.
const onCallExpression = `data.task_channel_unique_name == "voice" AND data.task_status == "assigned"`

type dirWorker struct {
	sid, fullName, friendlyName, contactURI, activityName, activitySid string
	key                                                                string // lower-case display name, the sort key
	frag                                                               []byte // the worker's JSON members except availability, cached per change
}

type directory struct {
	b *bridge

	mu       sync.Mutex
	workers  map[string]dirWorker
	calls    map[string]string // assigned voice task SID → worker SID
	loaded   bool
	query    jsv
	tasks    jsv // the tr-task query
	closed   bool
	pending  bool // a send is scheduled
	lastSent time.Time
	err      string
}

func newDirectory(b *bridge) *directory {
	d := &directory{b: b, workers: map[string]dirWorker{}, calls: map[string]string{}, query: undefined, tasks: undefined}
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
		if w := parseWorker(v); w.sid != "" {
			d.workers[w.sid] = w
		}
	})
	d.loaded = true
	d.mu.Unlock()
	b.on(q, "itemUpdated", func(args []jsv) {
		if len(args) == 0 {
			return
		}
		w := parseWorker(get(args[0], "value"))
		if w.sid == "" {
			w.sid = str(args[0], "key")
		}
		if w.sid == "" {
			return
		}
		d.mu.Lock()
		d.workers[w.sid] = w
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

func parseWorker(v jsv) dirWorker {
	w := dirWorker{
		sid:          str(v, "worker_sid"),
		fullName:     str(v, "attributes", "full_name"),
		friendlyName: str(v, "friendly_name"),
		contactURI:   str(v, "attributes", "contact_uri"),
		activityName: str(v, "activity_name"),
		activitySid:  str(v, "worker_activity_sid"),
	}
	return w.withCache()
}

func (w dirWorker) withCache() dirWorker {
	fw := frameproto.Worker{WorkerSid: w.sid, FullName: w.fullName, FriendlyName: w.friendlyName, ContactURI: w.contactURI, ActivityName: w.activityName}
	w.key = strings.ToLower(fw.DisplayName())
	j := &jw{}
	workerMembers(j.obj(), fw)
	w.frag = j.b
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
}

// message is the directory message as the frame gets it: the agent
// excluded, sorted by display name; ok is false until the query has loaded.
func (d *directory) message() (msg string, ok bool) {
	avail := d.b.activityAvailability()
	self := d.b.selfWorkerSid()
	d.mu.Lock()
	if !d.loaded {
		d.mu.Unlock()
		return "", false
	}
	list := make([]dirWorker, 0, len(d.workers))
	for sid, w := range d.workers {
		if sid != self && w.contactURI != "" {
			list = append(list, w)
		}
	}
	onCall := make(map[string]bool, len(d.calls))
	for _, w := range d.calls {
		onCall[w] = true
	}
	d.mu.Unlock()
	slices.SortFunc(list, func(a, b dirWorker) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.sid, b.sid)
	})
	size := 64
	for _, w := range list {
		size += len(w.frag) + 32
	}
	out := make([]byte, 0, size)
	out = append(out, envelopeHead(frameproto.TypeDirectory)...)
	out = append(out, `{"workers":[`...)
	for i, w := range list {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, w.frag...)
		out = append(out, `,"availability":`...)
		out = appendJSONString(out, string(availability(w, avail, onCall[w.sid])))
		out = append(out, '}')
	}
	out = append(out, "]}}"...)
	return string(out), true
}

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
func availability(w dirWorker, avail map[string]bool, onCall bool) frameproto.Availability {
	name := strings.ToLower(w.activityName)
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
