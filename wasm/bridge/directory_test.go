//go:build js && wasm

package main

import (
	"strings"
	"testing"
	"time"
)

const (
	waAvailable = "WA00000000000000000000000000000001"
	waOffline   = "WA00000000000000000000000000000002"
	waBreak     = "WA00000000000000000000000000000003"
)

func worker(sid, friendly, full, contact, activity, activitySid string) string {
	return `{worker_sid: "` + sid + `", friendly_name: "` + friendly + `", activity_name: "` + activity + `", worker_activity_sid: "` + activitySid + `", attributes: {full_name: "` + full + `", contact_uri: "` + contact + `"}}`
}

func TestDirectoryListsWorkersWithAvailability(t *testing.T) {
	self := "WK" + strings.Repeat("0", 31) + "a"
	e := newEnv(t, `{activities: [
			{sid: "`+waAvailable+`", name: "Available", available: true},
			{sid: "`+waOffline+`", name: "Offline", available: false},
			{sid: "`+waBreak+`", name: "Break", available: false},
			{sid: "WA00000000000000000000000000000004", name: "On a Call", available: false}],
		workers: [`+strings.Join([]string{
		worker(self, "alice", "Alice Andrews", "client:alice", "Available", waAvailable),
		worker("WKb", "bob", "Bob Baker", "client:bob", "Available", waAvailable),
		worker("WKe", "erin", "", "client:erin", "Break", waBreak),
		worker("WKo", "oscar", "Oscar Olsen", "client:oscar", "Offline", waOffline),
		worker("WKc", "carol", "Carol Cruz", "client:carol", "On a Call", "WA00000000000000000000000000000004"),
		worker("WKn", "nocontact", "No Contact", "", "Available", waAvailable),
		worker("WKd", "dave", "Dave Diaz", "client:dave", "Available", waAvailable),
	}, ",")+`], liveTasks: [{task_sid: "WT1", worker_sid: "WKd", channel_unique_name: "voice", status: "assigned"},
		{task_sid: "WT2", worker_sid: "WKb", channel_unique_name: "chat", status: "assigned"}]}`)
	e.eventually("T.liveQueries.length === 2")
	if got := e.str("T.liveQueries.map(function(q){ return q.index + '|' + q.expression }).sort().join(' / ')"); got != `tr-task|data.channel_unique_name == "voice" AND data.status == "assigned" / tr-worker|` {
		// tr-task items name their fields status and channel_unique_name
		// (task_status and task_channel_unique_name are tr-reservation's)
		t.Errorf("queries %s", got)
	}
	e.mount()
	e.ready()
	// both queries answered: Dave's call shows
	e.eventually(`FRAME.contentWindow.received.some(function(m){ return m.data.indexOf('"worker_sid":"WKd","full_name":"Dave Diaz","friendly_name":"dave","contact_uri":"client:dave","activity_name":"Available","availability":"on-call"') >= 0 })`)
	got := e.str(e.last("directory") + `.workers.map(function(w){ return (w.full_name || "-") + "/" + w.friendly_name + "/" + w.availability }).sort().join(", ")`)
	want := "-/erin/unavailable, Bob Baker/bob/available, Carol Cruz/carol/on-call, Dave Diaz/dave/on-call, Oscar Olsen/oscar/offline"
	if got != want {
		t.Errorf("directory\n got %s\nwant %s", got, want)
	}
	// Dave hangs up, Bob takes a call
	e.js(`T.updateLiveTask({task_sid: "WT1", worker_sid: "WKd", channel_unique_name: "voice", status: "wrapping"})`)
	e.js(`T.updateLiveTask({task_sid: "WT3", worker_sid: "WKb", channel_unique_name: "voice", status: "assigned"})`)
	e.eventually(e.last("directory") + `.workers.filter(function(w){ return w.worker_sid === "WKd" })[0].availability === "available"`)
	e.eventually(e.last("directory") + `.workers.filter(function(w){ return w.worker_sid === "WKb" })[0].availability === "on-call"`)
	e.b.stop()
	if got := e.str("T.liveQueries.filter(function(q){ return !q.closed }).map(function(q){ return q.index }).join()"); got != "" {
		t.Errorf("queries left open: %s", got)
	}
}

func TestDirectoryFollowsUpdatesAndCoalescesThem(t *testing.T) {
	e := newEnv(t, `{workers: [`+worker("WKb", "bob", "Bob Baker", "client:bob", "Available", waAvailable)+`]}`)
	e.mount()
	e.ready()
	e.eventually(`FRAME.contentWindow.received.some(function(m){ return JSON.parse(m.data).type === "directory" })`)
	count := func() int {
		return e.num(`FRAME.contentWindow.received.filter(function(m){ return JSON.parse(m.data).type === "directory" }).length`)
	}
	base := count()
	start := time.Now()
	// a burst of 200 changes
	e.js(`for (var i = 0; i < 200; i++) T.updateWorker(` + worker(`WKx" + i + "`, `w" + i + "`, "", `client:w" + i + "`, "Available", waAvailable) + `)`)
	e.js(`T.updateWorker(` + worker("WKb", "bob", "Bob Baker", "client:bob", "Break", waBreak) + `)`)
	e.js(`T.removeWorker("WKx7")`)
	e.eventually(e.last("directory") + `.workers.length === 200`)
	elapsed := time.Since(start)
	sends := count() - base
	if max := int(elapsed/sendInterval) + 2; sends > max {
		t.Errorf("%d directory sends in %v (coalescing allows %d)", sends, elapsed, max)
	}
	if got := e.str(e.last("directory") + `.workers.filter(function(w){ return w.worker_sid === "WKb" })[0].availability`); got != "unavailable" {
		t.Errorf("bob %s after his update", got)
	}
	if e.js(e.last("directory") + `.workers.some(function(w){ return w.worker_sid === "WKx7" })`).Truthy() {
		t.Error("removed worker still listed")
	}
	if e.num(`T.liveQueries.filter(function(q){ return q.index === "tr-worker" }).length`) != 1 {
		t.Error("more than one worker query per session")
	}
}

func TestDirectoryQueryFailureIsNotified(t *testing.T) {
	e := newEnvWith(t, "", `T.failLiveQuery = new Error("Sync unavailable"); T.failLiveQuery.index = "tr-worker"`)
	e.wantShown("Sync unavailable")
}

// newEnvWith runs setup JavaScript after the stub is created and before the bridge starts.
func newEnvWith(t testing.TB, opts, setup string) *env {
	t.Helper()
	saved := beforeStart
	beforeStart = setup
	defer func() { beforeStart = saved }()
	return newEnv(t, opts)
}

func BenchmarkDirectorySnapshot10k(b *testing.B) {
	var items strings.Builder
	items.WriteString(`{workers: (function(){ var a = []; for (var i = 0; i < 10000; i++) a.push({worker_sid: "WK" + i, friendly_name: "worker" + i, activity_name: i % 3 ? "Available" : "Offline", worker_activity_sid: i % 3 ? "` + waAvailable + `" : "` + waOffline + `", attributes: {full_name: "Worker " + i, contact_uri: "client:w" + i}}); return a })()}`)
	e := newEnv(b, items.String())
	for e.b.dir == nil || !e.b.dir.loaded {
		time.Sleep(time.Millisecond)
	}
	e.b.dir.message() // the first message makes each worker's object, kept for the next ones
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		msg, _ := e.b.dir.message()
		n = len(msg)
	}
	b.ReportMetric(float64(n), "bytes/msg")
}
