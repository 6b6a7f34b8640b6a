package taskrouter

import (
	"errors"
	"testing"
	"time"

	trapi "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

func TestCallInstructionDialsAndAcceptsOnAnswer(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	bob := h.record(ic.ws, ic.bob)
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	res := h.pendingFor(ic.ws, *task.Sid, ic.bob)

	got := must(h.api.UpdateWorkerReservation(ic.ws, ic.bob, *res.Sid, new(trapi.UpdateWorkerReservationParams).
		SetInstruction("call").SetCallFrom("+15550001111").
		SetCallUrl("https://app.example/twiml/callee?taskSid="+*task.Sid).
		SetCallAccept(true).SetCallTimeout(20).SetCallStatusCallbackUrl("https://app.example/status")))
	if *got.ReservationStatus != ResPending {
		t.Fatalf("before answer: %s", *got.ReservationStatus)
	}
	call := h.dialer.last(t)
	if call.to != "client:bob" || call.from != "+15550001111" || call.timeout != 20*time.Second ||
		call.url != "https://app.example/twiml/callee?taskSid="+*task.Sid {
		t.Fatalf("dialed %+v", call)
	}
	call.answered(call.sid)
	bob.next(t, EventReservationAccepted)
	if st := h.taskStatus(ic.ws, *task.Sid); st != StatusAssigned {
		t.Fatalf("task = %s, want assigned", st)
	}
	call.ended(call.sid, "completed")
	must(h.svc.CompleteTask(ic.ws, *task.Sid, "call ended"))
	noTaskOpen(t, h.svc)
}

func TestCallReservationGoAPIWithoutAccept(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:alice"})
	res := h.pendingFor(ic.ws, *task.Sid, ic.alice)
	if _, err := h.svc.CallReservation(ic.ws, *res.Sid, "client:bob", "https://app.example/twiml/caller", false, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	call := h.dialer.last(t)
	call.answered(call.sid) // without CallAccept, answering does not accept
	if st := h.taskStatus(ic.ws, *task.Sid); st != StatusReserved {
		t.Fatalf("accept=false but task %s", st)
	}
	// Instruction on a non-pending reservation, missing parameters, dial errors.
	must(h.svc.AcceptReservation(ic.ws, *res.Sid))
	if _, err := h.svc.CallReservation(ic.ws, *res.Sid, "a", "b", true, 0); err == nil {
		t.Error("call on an accepted reservation succeeded")
	}
	t2 := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:dave"})
	r2 := h.pendingFor(ic.ws, *t2.Sid, ic.dave)
	_, err := h.api.UpdateTaskReservation(ic.ws, *t2.Sid, *r2.Sid, new(trapi.UpdateTaskReservationParams).SetInstruction("call"))
	if te := restErr(t, err); te.Status != 400 {
		t.Errorf("call without CallFrom: %d", te.Status)
	}
	h.dialer.mu.Lock()
	h.dialer.fail = errors.New("no route")
	h.dialer.mu.Unlock()
	if _, err := h.svc.CallReservation(ic.ws, *r2.Sid, "a", "b", true, 0); err == nil {
		t.Error("dial failure not reported")
	}
}

func TestConferenceInstructionAccepts(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	res := h.pendingFor(ic.ws, *task.Sid, ic.bob)
	got := must(h.api.UpdateTaskReservation(ic.ws, *task.Sid, *res.Sid, new(trapi.UpdateTaskReservationParams).
		SetInstruction("conference").SetFrom("+15550001111").SetEndConferenceOnExit(true)))
	if *got.ReservationStatus != ResAccepted {
		t.Fatalf("status = %s", *got.ReservationStatus)
	}
	if want := "https://taskrouter.twilio.com/v1/Workspaces/" + ic.ws + "/Tasks/" + *task.Sid + "/Reservations/" + *res.Sid; *got.Url != want {
		t.Errorf("url = %s", *got.Url)
	}
}

func TestReservationStatusWrapAndComplete(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	bob := h.record(ic.ws, ic.bob)
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	res := h.pendingFor(ic.ws, *task.Sid, ic.bob)
	// Not yet accepted: wrapping is refused.
	_, err := h.api.UpdateWorkerReservation(ic.ws, ic.bob, *res.Sid, new(trapi.UpdateWorkerReservationParams).SetReservationStatus("wrapping"))
	restErr(t, err)
	_, err = h.api.UpdateWorkerReservation(ic.ws, ic.bob, *res.Sid, new(trapi.UpdateWorkerReservationParams).SetReservationStatus("timeout"))
	restErr(t, err)
	// The wrong worker cannot touch it.
	_, err = h.api.UpdateWorkerReservation(ic.ws, ic.alice, *res.Sid, new(trapi.UpdateWorkerReservationParams).SetReservationStatus("accepted"))
	if te := restErr(t, err); te.Status != 404 {
		t.Errorf("other worker: %d", te.Status)
	}
	for _, st := range []string{"accepted", "wrapping", "completed"} {
		must(h.api.UpdateWorkerReservation(ic.ws, ic.bob, *res.Sid, new(trapi.UpdateWorkerReservationParams).SetReservationStatus(st)))
	}
	bob.next(t, EventReservationAccepted)
	bob.next(t, EventReservationWrapup)
	bob.next(t, EventReservationCompleted)
	if st := h.taskStatus(ic.ws, *task.Sid); st != StatusCompleted {
		t.Errorf("task = %s", st)
	}
	list := must(h.api.ListWorkerReservation(ic.ws, ic.bob, new(trapi.ListWorkerReservationParams).SetReservationStatus("completed")))
	if len(list) != 1 || *list[0].Sid != *res.Sid {
		t.Errorf("worker reservations = %v", list)
	}
	noTaskOpen(t, h.svc)
}

func TestRejectWithActivityAndRejectPendingReservations(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	res := h.pendingFor(ic.ws, *task.Sid, ic.bob)
	must(h.api.UpdateTaskReservation(ic.ws, *task.Sid, *res.Sid, new(trapi.UpdateTaskReservationParams).
		SetReservationStatus("rejected").SetWorkerActivitySid(ic.unavailable)))
	if w := must(h.api.FetchWorker(ic.ws, ic.bob)); *w.ActivitySid != ic.unavailable || *w.Available {
		t.Errorf("bob = %s available=%v", *w.ActivityName, *w.Available)
	}

	t2 := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:alice"})
	r2 := h.pendingFor(ic.ws, *t2.Sid, ic.alice)
	must(h.api.UpdateWorker(ic.ws, ic.alice, new(trapi.UpdateWorkerParams).SetActivitySid(ic.offline).SetRejectPendingReservations(true)))
	if st := *must(h.api.FetchTaskReservation(ic.ws, *t2.Sid, *r2.Sid)).ReservationStatus; st != ResRejected {
		t.Errorf("alice's reservation = %s", st)
	}
}
