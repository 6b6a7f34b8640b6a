package taskrouter

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
	trapi "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

// restErr extracts the Twilio error twilio-go returns.
func restErr(t *testing.T, err error) *client.TwilioRestError {
	t.Helper()
	var te *client.TwilioRestError
	if !errors.As(err, &te) {
		t.Fatalf("want a Twilio error, got %v", err)
	}
	return te
}

func TestIfMatchGuardsTaskUpdates(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	created := must(h.api.CreateTaskWithMetadata(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).
		SetTaskChannel("voice").SetAttributes(`{"targetWorker":"client:carol"}`)))
	etag := created.GetHeaders().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on create")
	}
	fetched := must(h.api.FetchTaskWithMetadata(ic.ws, *created.GetResource().Sid))
	if got := fetched.GetHeaders().Get("ETag"); got != etag {
		t.Fatalf("fetch ETag %s != create ETag %s", got, etag)
	}
	sid := *created.GetResource().Sid

	// Two replicas race to write the callee task SID: exactly one wins.
	var wg sync.WaitGroup
	results := make([]error, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = h.api.UpdateTask(ic.ws, sid, new(trapi.UpdateTaskParams).
				SetIfMatch(etag).SetAttributes(`{"targetWorker":"client:carol","callee_task_sid":"WT`+string(rune('a'+i))+`"}`))
		}()
	}
	wg.Wait()
	wins, fails := 0, 0
	for _, err := range results {
		if err == nil {
			wins++
			continue
		}
		te := restErr(t, err)
		if te.Status != 412 || te.Code != 20412 {
			t.Errorf("loser got %d/%d, want 412/20412", te.Status, te.Code)
		}
		fails++
	}
	if wins != 1 || fails != 1 {
		t.Fatalf("wins=%d fails=%d", wins, fails)
	}

	// The new ETag works; the old one no longer does, for delete too.
	now := must(h.api.FetchTaskWithMetadata(ic.ws, sid))
	newTag := now.GetHeaders().Get("ETag")
	if newTag == etag {
		t.Fatal("ETag did not change")
	}
	upd := must(h.api.UpdateTaskWithMetadata(ic.ws, sid, new(trapi.UpdateTaskParams).SetIfMatch(newTag).SetPriority(5)))
	if upd.GetHeaders().Get("ETag") == newTag {
		t.Error("update did not return a new ETag")
	}
	err := h.api.DeleteTask(ic.ws, sid, new(trapi.DeleteTaskParams).SetIfMatch(etag))
	if te := restErr(t, err); te.Status != 412 {
		t.Errorf("delete with stale ETag: %d", te.Status)
	}
	if err := h.api.DeleteTask(ic.ws, sid, new(trapi.DeleteTaskParams).SetIfMatch(upd.GetHeaders().Get("ETag"))); err != nil {
		t.Fatalf("delete with current ETag: %v", err)
	}
	if _, err := h.api.FetchTask(ic.ws, sid); restErr(t, err).Status != 404 {
		t.Error("task still there after delete")
	}
}

func TestCancelRemovesPendingReservation(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	bob := h.record(ic.ws, ic.bob)
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	res := h.pendingFor(ic.ws, *task.Sid, ic.bob)
	bob.next(t, EventReservationCreated)

	canceled := must(h.api.UpdateTask(ic.ws, *task.Sid, new(trapi.UpdateTaskParams).
		SetAssignmentStatus("canceled").SetReason("caller hung up")))
	if *canceled.AssignmentStatus != StatusCanceled || *canceled.Reason != "caller hung up" {
		t.Fatalf("task = %s / %v", *canceled.AssignmentStatus, canceled.Reason)
	}
	ev := bob.next(t, EventReservationCanceled)
	if ev.Reservation.Sid != *res.Sid || ev.Task.AssignmentStatus != StatusCanceled {
		t.Errorf("canceled event = %+v / %s", ev.Reservation, ev.Task.AssignmentStatus)
	}
	if got := *must(h.api.FetchTaskReservation(ic.ws, *task.Sid, *res.Sid)).ReservationStatus; got != ResCanceled {
		t.Errorf("reservation = %s", got)
	}
	// Bob is free again for the next call.
	next := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	h.pendingFor(ic.ws, *next.Sid, ic.bob)
}

func TestAssignmentStatusTransitions(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:carol"}) // pending
	bad := func(status string) {
		t.Helper()
		_, err := h.api.UpdateTask(ic.ws, *task.Sid, new(trapi.UpdateTaskParams).SetAssignmentStatus(status))
		if te := restErr(t, err); te.Status != 400 || te.Code != 20001 {
			t.Errorf("%s: %d/%d", status, te.Status, te.Code)
		}
	}
	bad("completed")
	bad("wrapping")
	bad("assigned")
	bad("bogus")
	must(h.api.UpdateTask(ic.ws, *task.Sid, new(trapi.UpdateTaskParams).SetAssignmentStatus("canceled")))
	bad("canceled")
	bad("completed")

	// assigned → completed directly is allowed.
	t2 := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:alice"})
	must(h.svc.AcceptReservation(ic.ws, *h.pendingFor(ic.ws, *t2.Sid, ic.alice).Sid))
	_, err := h.api.UpdateTask(ic.ws, *t2.Sid, new(trapi.UpdateTaskParams).SetAssignmentStatus("canceled"))
	restErr(t, err)
	must(h.svc.CompleteTask(ic.ws, *t2.Sid, "done"))
	noTaskOpen(t, h.svc)
}

func TestTaskTTLCancels(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	all := h.record(ic.ws, "")
	task := must(h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).
		SetTaskChannel("voice").SetTimeout(1).SetAttributes(`{"targetWorker":"client:bob"}`)))
	res := h.pendingFor(ic.ws, *task.Sid, ic.bob)
	ev := all.next(t, EventReservationCanceled)
	if ev.Reservation.Sid != *res.Sid {
		t.Errorf("canceled %s, want %s", ev.Reservation.Sid, *res.Sid)
	}
	got := must(h.api.FetchTask(ic.ws, *task.Sid))
	if *got.AssignmentStatus != StatusCanceled || got.Reason == nil || *got.Reason != "Task TTL Exceeded" {
		t.Fatalf("task = %s / %v", *got.AssignmentStatus, got.Reason)
	}
	noTaskOpen(t, h.svc)
}

func TestListTasksFilters(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	toBob := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob", "conference": map[string]any{"sid": "CF1"}})
	toCarol := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:carol"})
	sales := h.createTask(ic.ws, ic.workflow, map[string]any{"callToQueue": "Sales"})
	must(h.api.UpdateTask(ic.ws, *toCarol.Sid, new(trapi.UpdateTaskParams).SetPriority(7)))

	sids := func(p *trapi.ListTaskParams) []string {
		t.Helper()
		var out []string
		for _, task := range must(h.api.ListTask(ic.ws, p)) {
			out = append(out, *task.Sid)
		}
		return out
	}
	same := func(what string, got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", what, got, want)
			return
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: got %v, want %v", what, got, want)
				return
			}
		}
	}
	same("EvaluateTaskAttributes", sids(new(trapi.ListTaskParams).SetEvaluateTaskAttributes("conference.sid == 'CF1'")), *toBob.Sid)
	same("targetWorker", sids(new(trapi.ListTaskParams).SetEvaluateTaskAttributes(`targetWorker == "client:carol"`)), *toCarol.Sid)
	same("status", sids(new(trapi.ListTaskParams).SetAssignmentStatus([]string{"pending"})), *toCarol.Sid)
	same("statuses", sids(new(trapi.ListTaskParams).SetAssignmentStatus([]string{"pending", "reserved"})),
		*toBob.Sid, *toCarol.Sid, *sales.Sid)
	same("queue name", sids(new(trapi.ListTaskParams).SetTaskQueueName("Sales")), *sales.Sid)
	same("queue sid", sids(new(trapi.ListTaskParams).SetTaskQueueSid(ic.everyone)), *toBob.Sid, *toCarol.Sid)
	same("ordering", sids(new(trapi.ListTaskParams).SetOrdering("Priority:asc,DateCreated:desc")),
		*sales.Sid, *toCarol.Sid, *toBob.Sid)
	same("workflow", sids(new(trapi.ListTaskParams).SetWorkflowSid(ic.workflow).SetPageSize(2)),
		*toBob.Sid, *toCarol.Sid, *sales.Sid) // follows next_page_url

	_, err := h.api.ListTask(ic.ws, new(trapi.ListTaskParams).SetEvaluateTaskAttributes("targetWorker =="))
	if te := restErr(t, err); te.Status != 400 {
		t.Errorf("bad expression: %d", te.Status)
	}
}

func TestAttributeUpdateNotifiesHolderAndReroutesPending(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	bob := h.record(ic.ws, ic.bob)
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	must(h.svc.AcceptReservation(ic.ws, *h.pendingFor(ic.ws, *task.Sid, ic.bob).Sid))
	must(h.api.UpdateTask(ic.ws, *task.Sid, new(trapi.UpdateTaskParams).
		SetAttributes(`{"targetWorker":"client:bob","internal_call":{"status":"connected"}}`)))
	ev := bob.next(t, EventTaskUpdated)
	if ev.Task.Attributes != `{"targetWorker":"client:bob","internal_call":{"status":"connected"}}` {
		t.Errorf("task.updated attributes = %s", ev.Task.Attributes)
	}

	// A pending task is routed again against its new attributes.
	waiting := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:carol"})
	must(h.api.UpdateTask(ic.ws, *waiting.Sid, new(trapi.UpdateTaskParams).SetAttributes(`{"targetWorker":"client:alice"}`)))
	h.pendingFor(ic.ws, *waiting.Sid, ic.alice)
}

func TestSnapshotAndGoLookups(t *testing.T) {
	h := newHarness(t, Config{Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }})
	ic := h.seedInternalCall()
	if w, ok := h.svc.WorkerByContactURI(ic.ws, "client:dave"); !ok || w.Sid != ic.dave {
		t.Errorf("by contact_uri: %v %v", w.Sid, ok)
	}
	if w, ok := h.svc.WorkerByFriendlyName(ic.ws, "ALICE"); !ok || w.Sid != ic.alice {
		t.Errorf("by name: %v %v", w.Sid, ok)
	}
	if _, ok := h.svc.WorkerByContactURI(ic.ws, "client:nobody"); ok {
		t.Error("found nobody")
	}
	snap := h.svc.Snapshot()
	if len(snap.Workspaces) != 1 || len(snap.Workspaces[0].Workers) != 4 || len(snap.Workspaces[0].TaskQueues) != 2 {
		t.Fatalf("snapshot = %+v", snap)
	}
	if got := snap.Workspaces[0].Workspace.DateCreated; got != "2026-01-02T03:04:05Z" {
		t.Errorf("date = %s", got)
	}
}
