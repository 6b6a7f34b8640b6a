package taskrouter

import (
	"encoding/json"
	"testing"
	"time"

	trapi "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

func TestAgentCallRoutesToTargetWorker(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	bobEvents := h.record(ic.ws, ic.bob)

	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob", "client_call": true})
	if *task.AssignmentStatus != StatusReserved {
		t.Fatalf("status = %s, want reserved", *task.AssignmentStatus)
	}
	if *task.TaskQueueSid != ic.everyone || task.Priority != 1000 || *task.TaskChannelUniqueName != "voice" {
		t.Errorf("queue/priority/channel = %s/%d/%s", *task.TaskQueueSid, task.Priority, *task.TaskChannelUniqueName)
	}
	res := h.pendingFor(ic.ws, *task.Sid, ic.bob)
	ev := bobEvents.next(t, EventReservationCreated)
	if ev.Reservation.Sid != *res.Sid || ev.Task.Sid != *task.Sid || ev.Task.AssignmentStatus != StatusReserved {
		t.Errorf("event = %+v", ev)
	}

	// Bob accepts through the worker-scoped path, as the worker SDK does.
	acc := must(h.api.UpdateWorkerReservation(ic.ws, ic.bob, *res.Sid,
		new(trapi.UpdateWorkerReservationParams).SetReservationStatus("accepted")))
	if *acc.ReservationStatus != ResAccepted || h.taskStatus(ic.ws, *task.Sid) != StatusAssigned {
		t.Fatalf("after accept: reservation %s, task %s", *acc.ReservationStatus, h.taskStatus(ic.ws, *task.Sid))
	}
	bobEvents.next(t, EventReservationAccepted)

	must(h.api.UpdateTask(ic.ws, *task.Sid, new(trapi.UpdateTaskParams).SetAssignmentStatus("wrapping").SetReason("hung up")))
	if ev := bobEvents.next(t, EventReservationWrapup); ev.Task.AssignmentStatus != StatusWrapping {
		t.Errorf("wrapup event task status %s", ev.Task.AssignmentStatus)
	}
	done := must(h.api.UpdateTask(ic.ws, *task.Sid, new(trapi.UpdateTaskParams).SetAssignmentStatus("completed").SetReason("done")))
	if *done.Reason != "done" {
		t.Errorf("reason = %v", done.Reason)
	}
	bobEvents.next(t, EventReservationCompleted)
	noTaskOpen(t, h.svc)
}

func TestOfflineWorkerIsNotOffered(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:carol"})
	if *task.AssignmentStatus != StatusPending || len(h.reservations(ic.ws, *task.Sid, "")) != 0 {
		t.Fatalf("offline carol was offered the task: %s", *task.AssignmentStatus)
	}
	// Coming online routes the waiting task.
	carol := h.record(ic.ws, ic.carol)
	must(h.api.UpdateWorker(ic.ws, ic.carol, new(trapi.UpdateWorkerParams).SetActivitySid(ic.available)))
	if ev := carol.next(t, EventWorkerActivityUpdate); ev.Worker.ActivityName != "Available" || !ev.Worker.Available {
		t.Errorf("activity event worker = %+v", ev.Worker)
	}
	carol.next(t, EventReservationCreated)
	h.pendingFor(ic.ws, *task.Sid, ic.carol)
}

func TestBusyWorkerIsNotOffered(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	first := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	res := h.pendingFor(ic.ws, *first.Sid, ic.bob)
	must(h.svc.AcceptReservation(ic.ws, *res.Sid))

	// Voice capacity 1 is taken: a second call waits.
	second := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	if *second.AssignmentStatus != StatusPending {
		t.Fatalf("busy bob got a second voice task: %s", *second.AssignmentStatus)
	}
	chans := must(h.api.ListWorkerChannel(ic.ws, ic.bob, nil))
	for _, c := range chans {
		if *c.TaskChannelUniqueName == "voice" && (c.AssignedTasks != 1 || c.ConfiguredCapacity != 1 || c.AvailableCapacityPercentage != 0) {
			t.Errorf("voice channel = %+v", c)
		}
	}
	// A chat task still reaches him: capacity is per channel.
	chat := must(h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).
		SetTaskChannel("chat").SetAttributes(`{"targetWorker":"client:bob"}`)))
	h.pendingFor(ic.ws, *chat.Sid, ic.bob)
	must(h.svc.RejectReservation(ic.ws, *h.pendingFor(ic.ws, *chat.Sid, ic.bob).Sid))

	// Raising voice capacity to 2 lets the waiting call through.
	must(h.api.UpdateWorkerChannel(ic.ws, ic.bob, "voice", new(trapi.UpdateWorkerChannelParams).SetCapacity(2)))
	h.pendingFor(ic.ws, *second.Sid, ic.bob)
}

func TestOneOfferAtATime(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	must(h.api.UpdateWorkerChannel(ic.ws, ic.bob, "voice", new(trapi.UpdateWorkerChannelParams).SetCapacity(3)))
	a := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	b := h.createTask(ic.ws, ic.workflow, map[string]any{"targetWorker": "client:bob"})
	ra := h.pendingFor(ic.ws, *a.Sid, ic.bob)
	if st := *must(h.api.FetchTask(ic.ws, *b.Sid)).AssignmentStatus; st != StatusPending {
		t.Fatalf("second offer while the first is unanswered: %s", st)
	}
	must(h.svc.AcceptReservation(ic.ws, *ra.Sid))
	h.pendingFor(ic.ws, *b.Sid, ic.bob) // capacity 3: the next offer follows the answer
}

func TestRejectReroutesToAnotherWorker(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	// Default filter: queue Everyone, any available worker.
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"type": "inbound"})
	first := h.reservations(ic.ws, *task.Sid, "pending")[0]
	rejected := must(h.api.UpdateTaskReservation(ic.ws, *task.Sid, *first.Sid,
		new(trapi.UpdateTaskReservationParams).SetReservationStatus("rejected")))
	if *rejected.ReservationStatus != ResRejected {
		t.Fatalf("status = %s", *rejected.ReservationStatus)
	}
	second := h.reservations(ic.ws, *task.Sid, "pending")
	if len(second) != 1 || *second[0].WorkerSid == *first.WorkerSid {
		t.Fatalf("rerouted to %v after %s rejected", second, *first.WorkerName)
	}
	// Everyone available rejects: the task waits, never re-offered to them.
	for {
		rs := h.reservations(ic.ws, *task.Sid, "pending")
		if len(rs) == 0 {
			break
		}
		must(h.svc.RejectReservation(ic.ws, *rs[0].Sid))
	}
	if st := h.taskStatus(ic.ws, *task.Sid); st != StatusPending {
		t.Fatalf("status = %s, want pending", st)
	}
	if n := len(h.reservations(ic.ws, *task.Sid, "rejected")); n != 3 { // alice, bob, dave
		t.Errorf("rejected reservations = %d, want 3", n)
	}
}

func TestReservationTimeoutReroutesAndMovesWorkerOffline(t *testing.T) {
	h := newHarness(t, Config{ReservationTimeout: 150 * time.Millisecond})
	ic := h.seedInternalCall()
	all := h.record(ic.ws, "")
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"type": "inbound"})
	first := all.next(t, EventReservationCreated).Reservation
	ev := all.next(t, EventReservationTimeout)
	if ev.Reservation.Sid != first.Sid || ev.Reservation.ReservationStatus != ResTimeout {
		t.Fatalf("timeout event = %+v, first offer %s", ev.Reservation, first.Sid)
	}
	if ev := all.next(t, EventWorkerActivityUpdate); ev.WorkerSid != first.WorkerSid || ev.Worker.ActivitySid != ic.offline {
		t.Errorf("after the timeout %s moved to %s, want %s to Offline", ev.WorkerSid, ev.Worker.ActivityName, first.WorkerSid)
	}
	// The task is offered to someone else (who may time out in turn).
	if next := all.next(t, EventReservationCreated); next.Task.Sid != *task.Sid || next.WorkerSid == first.WorkerSid {
		t.Errorf("re-routed to %s", next.WorkerSid)
	}
}

func TestQueueCallFilter(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"callToQueue": "Sales", "to": "queue:Sales"})
	if *task.TaskQueueFriendlyName != "Sales" {
		t.Fatalf("queue = %s", *task.TaskQueueFriendlyName)
	}
	must(h.svc.AcceptReservation(ic.ws, *h.pendingFor(ic.ws, *task.Sid, ic.dave).Sid))

	// A TaskQueueSid next to a WorkflowSid does not bypass the filters.
	viaWorkflow := must(h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).
		SetTaskQueueSid(ic.sales).SetTaskChannel("voice").SetAttributes(`{"targetWorker":"client:alice"}`)))
	h.pendingFor(ic.ws, *viaWorkflow.Sid, ic.alice)
	// A queue RoutingTarget does (dave has room on chat).
	direct := must(h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetRoutingTarget(ic.sales).
		SetTaskChannel("chat").SetAttributes(`{"targetWorker":"client:alice"}`)))
	h.pendingFor(ic.ws, *direct.Sid, ic.dave)
}

func TestRoutingTargetOffersOnlyThatWorker(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	// Carol is offline: a worker-targeted task (Flex's createTask) still
	// reaches her, since IgnoreCapacity defaults to true for a worker target.
	task := must(h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).
		SetTaskQueueSid(ic.everyone).SetTaskChannel("voice").SetRoutingTarget(ic.carol).
		SetAttributes(`{"to":"client:bob","from":"client:carol","direction":"outbound","client_call":true}`)))
	if *task.RoutingTarget != ic.carol || *task.TaskQueueSid != ic.everyone {
		t.Errorf("routing_target/queue = %v/%v", task.RoutingTarget, task.TaskQueueSid)
	}
	res := h.pendingFor(ic.ws, *task.Sid, ic.carol)
	must(h.svc.RejectReservation(ic.ws, *res.Sid))
	if st := h.taskStatus(ic.ws, *task.Sid); st != StatusPending {
		t.Fatalf("after reject: %s", st)
	}
	if n := len(h.reservations(ic.ws, *task.Sid, "pending")); n != 0 {
		t.Fatalf("a worker-targeted task went to someone else (%d offers)", n)
	}

	// IgnoreCapacity=false: an offline target waits.
	strict := must(h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(ic.workflow).
		SetTaskChannel("voice").SetRoutingTarget(ic.carol).SetIgnoreCapacity("false")))
	if *strict.AssignmentStatus != StatusPending {
		t.Fatalf("IgnoreCapacity=false to offline worker: %s", *strict.AssignmentStatus)
	}
	// The Go API (used by the simulated agents) takes the same path.
	goTask := must(h.svc.CreateTask(ic.ws, TaskParams{WorkflowSid: ic.workflow, TaskChannel: "voice", RoutingTarget: ic.alice}))
	if goTask.AssignmentStatus != StatusReserved {
		t.Fatalf("Go API task: %s", goTask.AssignmentStatus)
	}
}

func TestStepTimeouts(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	nobody := *must(h.api.CreateTaskQueue(ic.ws, new(trapi.CreateTaskQueueParams).
		SetFriendlyName("Nobody").SetTargetWorkers("skill == 'none'"))).Sid
	conf, _ := json.Marshal(map[string]any{"task_routing": map[string]any{
		"filters": []any{
			map[string]any{
				"filter_friendly_name": "escalate", "expression": "escalate == true",
				"targets": []any{
					map[string]any{"queue": nobody, "timeout": 1},
					map[string]any{"queue": ic.sales},
				},
			},
			map[string]any{
				"filter_friendly_name": "one step", "expression": "escalate == false",
				"targets": []any{map[string]any{"queue": nobody, "timeout": 1}},
			},
		},
		"default_filter": map[string]any{"queue": ic.everyone},
	}})
	wf := must(h.api.CreateWorkflow(ic.ws, new(trapi.CreateWorkflowParams).SetFriendlyName("Escalation").
		SetConfiguration(string(conf))))
	escalated := h.createTask(ic.ws, *wf.Sid, map[string]any{"escalate": true})
	dropped := h.createTask(ic.ws, *wf.Sid, map[string]any{"escalate": false})
	if *escalated.TaskQueueSid != nobody || *escalated.AssignmentStatus != StatusPending {
		t.Fatalf("start: %s %s", *escalated.TaskQueueFriendlyName, *escalated.AssignmentStatus)
	}
	// After the first step's timeout the task moves to Sales and reaches dave.
	eventually(t, "next step", func() bool {
		return len(h.reservations(ic.ws, *escalated.Sid, "pending")) == 1
	})
	h.pendingFor(ic.ws, *escalated.Sid, ic.dave)
	if q := *must(h.api.FetchTask(ic.ws, *escalated.Sid)).TaskQueueSid; q != ic.sales {
		t.Errorf("queue = %s, want Sales", q)
	}
	// Passing the final step cancels the task.
	eventually(t, "workflow timeout", func() bool { return h.taskStatus(ic.ws, *dropped.Sid) == StatusCanceled })
	if r := must(h.api.FetchTask(ic.ws, *dropped.Sid)).Reason; r == nil || *r != reasonWorkflowTimeout {
		t.Errorf("reason = %v", r)
	}
}

func TestSkipIfAndKnownWorker(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	conf, _ := json.Marshal(map[string]any{"task_routing": map[string]any{
		"filters": []any{
			// Carol is offline: the step is skipped, so the whole filter is,
			// and the task falls through to the next filter.
			map[string]any{"expression": "1==1", "targets": []any{
				map[string]any{"queue": ic.everyone, "known_worker_sid": ic.carol, "skip_if": "workers.available > 0"},
			}},
			map[string]any{"expression": "1==1", "targets": []any{
				map[string]any{"queue": ic.sales, "skip_if": "workers.available == 0 OR 1==1", "expression": "worker.full_name == 'Nobody'"},
				map[string]any{"known_worker_friendly_name": "alice"}, // stays in Sales' queue: alice is not in it
				map[string]any{"queue": ic.everyone, "known_worker_friendly_name": "alice"},
			}},
		},
	}})
	wf := must(h.api.CreateWorkflow(ic.ws, new(trapi.CreateWorkflowParams).SetFriendlyName("Known").
		SetConfiguration(string(conf))))
	task := h.createTask(ic.ws, *wf.Sid, map[string]any{})
	if *task.TaskQueueSid != ic.sales || *task.AssignmentStatus != StatusPending {
		t.Fatalf("task in %s, %s: want waiting in Sales on the queue-less step", *task.TaskQueueFriendlyName, *task.AssignmentStatus)
	}

	// Without default_filter, a task no filter matches is refused.
	conf, _ = json.Marshal(map[string]any{"task_routing": map[string]any{
		"filters": []any{map[string]any{"expression": "vip == true", "targets": []any{map[string]any{"queue": ic.everyone}}}},
	}})
	strict := must(h.api.CreateWorkflow(ic.ws, new(trapi.CreateWorkflowParams).SetFriendlyName("VIP only").
		SetConfiguration(string(conf))))
	_, err := h.api.CreateTask(ic.ws, new(trapi.CreateTaskParams).SetWorkflowSid(*strict.Sid).SetAttributes(`{"vip":false}`))
	if te := restErr(t, err); te.Status != 400 {
		t.Errorf("unrouted task: %d", te.Status)
	}
	vip := h.createTask(ic.ws, *strict.Sid, map[string]any{"vip": true})
	if *vip.AssignmentStatus != StatusReserved {
		t.Errorf("vip task %s", *vip.AssignmentStatus)
	}
}

func TestOrderByPicksHighestSkill(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	for w, level := range map[string]int{ic.alice: 3, ic.bob: 9, ic.dave: 5} {
		must(h.api.UpdateWorker(ic.ws, w, new(trapi.UpdateWorkerParams).SetAttributes(
			`{"level":`+jsonInt(level)+`}`)))
	}
	conf, _ := json.Marshal(map[string]any{"task_routing": map[string]any{
		"filters": []any{map[string]any{"expression": "1==1", "targets": []any{
			map[string]any{"queue": ic.everyone, "order_by": "worker.level DESC"},
		}}},
	}})
	wf := must(h.api.CreateWorkflow(ic.ws, new(trapi.CreateWorkflowParams).SetFriendlyName("Ordered").
		SetConfiguration(string(conf))))
	task := h.createTask(ic.ws, *wf.Sid, map[string]any{})
	h.pendingFor(ic.ws, *task.Sid, ic.bob)
}

func TestMaxReservedWorkersRescindsOthersOnAccept(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	must(h.api.UpdateTaskQueue(ic.ws, ic.everyone, new(trapi.UpdateTaskQueueParams).SetMaxReservedWorkers(2)))
	task := h.createTask(ic.ws, ic.workflow, map[string]any{"type": "inbound"})
	offers := h.reservations(ic.ws, *task.Sid, "pending")
	if len(offers) != 2 || *offers[0].WorkerSid == *offers[1].WorkerSid {
		t.Fatalf("offers = %d", len(offers))
	}
	loser := h.record(ic.ws, *offers[1].WorkerSid)
	must(h.svc.AcceptReservation(ic.ws, *offers[0].Sid))
	if ev := loser.next(t, EventReservationRescinded); ev.Reservation.Sid != *offers[1].Sid {
		t.Errorf("rescinded %s", ev.Reservation.Sid)
	}
	if n := len(h.reservations(ic.ws, *task.Sid, "pending")); n != 0 {
		t.Errorf("%d offers left after accept", n)
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }
