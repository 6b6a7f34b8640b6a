package taskrouter

import (
	"net/url"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type reservation struct {
	sid              string
	seq              uint64
	task             *task
	worker           *worker
	status           string
	created, updated time.Time
	timer            *time.Timer
	// What the last instruction asked for (call, conference…), kept for
	// inspection; callSid is the leg the Call instruction placed.
	instruction string
	params      url.Values
	callSid     string
}

// open: the reservation still holds the worker (pending, accepted, wrapping).
func (r *reservation) open() bool {
	return r.status == ResPending || r.status == ResAccepted || r.status == ResWrapping
}

func (r *reservation) stopTimer() {
	if r.timer != nil {
		r.timer.Stop()
	}
}

// reserve offers t to w; the caller holds s.mu.
func (s *Service) reserve(ws *workspace, t *task, w *worker) {
	now := s.now()
	s.resSeq++
	r := &reservation{sid: rest.NewSID("WR"), seq: s.resSeq, task: t, worker: w,
		status: ResPending, created: now, updated: now}
	ws.reservations.add(r.sid, r)
	w.active[r.sid] = r
	t.reservations = append(t.reservations, r)
	t.status = StatusReserved
	t.touch(now)
	wf, _ := ws.workflows.get(t.workflow)
	wsSid, rSid := ws.sid, r.sid
	r.timer = time.AfterFunc(s.reservationTimeout(wf), func() { s.onReservationTimeout(wsSid, rSid) })
	// Queue activities apply to single-tasking workspaces only, as on Twilio.
	if q, ok := ws.queues.get(t.queue); ok && !ws.multiTask && q.resActivity != "" {
		s.setActivity(ws, w, q.resActivity)
	}
	s.emitReservation(ws, r, EventReservationCreated)
}

// Reservation fetches a reservation by SID.
func (s *Service) Reservation(wsSid, sid string) (Reservation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, r, err := s.reservation(wsSid, "", "", sid)
	if err != nil {
		return Reservation{}, err
	}
	return s.reservationView(ws, r, false), nil
}

// scopedReservation fetches a reservation through the task- or worker-scoped
// path, which must own it.
func (s *Service) scopedReservation(wsSid, taskSid, workerSid, sid string) (Reservation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, r, err := s.reservation(wsSid, taskSid, workerSid, sid)
	if err != nil {
		return Reservation{}, err
	}
	return s.reservationView(ws, r, taskSid != ""), nil
}

// TaskReservations lists a task's reservations.
func (s *Service) TaskReservations(wsSid, taskSid string) ([]Reservation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, t, err := s.task(wsSid, taskSid)
	if err != nil {
		return nil, err
	}
	out := []Reservation{}
	for _, r := range t.reservations {
		out = append(out, s.reservationView(ws, r, true))
	}
	return out, nil
}

// WorkerReservations lists a worker's reservations, oldest first.
func (s *Service) WorkerReservations(wsSid, workerSid string) ([]Reservation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, w, err := s.worker(wsSid, workerSid)
	if err != nil {
		return nil, err
	}
	out := []Reservation{}
	for _, r := range ws.reservations.all() {
		if r.worker == w {
			out = append(out, s.reservationView(ws, r, false))
		}
	}
	return out, nil
}

// AcceptReservation accepts a pending reservation (the task becomes assigned).
func (s *Service) AcceptReservation(wsSid, sid string) (Reservation, error) {
	return s.UpdateReservation(wsSid, sid, ReservationUpdate{ReservationStatus: ResAccepted})
}

// RejectReservation rejects a pending reservation; the task is routed again,
// never to this worker.
func (s *Service) RejectReservation(wsSid, sid string) (Reservation, error) {
	return s.UpdateReservation(wsSid, sid, ReservationUpdate{ReservationStatus: ResRejected})
}

// UpdateReservation applies a status change or an instruction.
func (s *Service) UpdateReservation(wsSid, sid string, u ReservationUpdate) (Reservation, error) {
	return s.updateReservation(wsSid, "", "", sid, u)
}

// updateReservation serves both the task- and the worker-scoped REST paths;
// taskSid or workerSid, when set, must own the reservation.
func (s *Service) updateReservation(wsSid, taskSid, workerSid, sid string, u ReservationUpdate) (Reservation, error) {
	if u.Instruction == "call" {
		return s.call(wsSid, taskSid, workerSid, sid, u)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, r, err := s.reservation(wsSid, taskSid, workerSid, sid)
	if err != nil {
		return Reservation{}, err
	}
	if err := r.task.checkETag(u.IfMatch); err != nil {
		return Reservation{}, err
	}
	if u.WorkerActivitySid != "" {
		if _, ok := ws.activities.get(u.WorkerActivitySid); !ok {
			return Reservation{}, errInvalid("Activity %s not found in workspace", u.WorkerActivitySid)
		}
	}
	status := u.ReservationStatus
	switch u.Instruction {
	case "":
	case "accept":
		status = ResAccepted
	case "reject":
		status = ResRejected
	case "conference", "dequeue", "redirect":
		// The voice side of these is not simulated: keep what was asked and
		// accept, which is what the worker sees on Twilio once the leg is up.
		if r.status != ResPending {
			return Reservation{}, errInvalid("Reservation %s is %s, not pending", sid, r.status)
		}
		r.instruction, r.params = u.Instruction, u.Params
		status = ResAccepted
	default:
		return Reservation{}, errInvalid("Invalid Instruction %q", u.Instruction)
	}
	switch status {
	case ResAccepted:
		if err := s.accept(ws, r, u.WorkerActivitySid); err != nil {
			return Reservation{}, err
		}
	case ResRejected:
		if r.status != ResPending {
			return Reservation{}, errInvalid("Reservation %s is %s, not pending", sid, r.status)
		}
		s.reject(ws, r, u.WorkerActivitySid)
	case ResWrapping, ResCompleted:
		to := StatusWrapping
		if status == ResCompleted {
			to = StatusCompleted
		}
		if r.status != ResAccepted && r.status != ResWrapping {
			return Reservation{}, errInvalid("Reservation %s is %s, not accepted", sid, r.status)
		}
		if err := r.task.checkTransition(to); err != nil {
			return Reservation{}, err
		}
		holders := r.task.holders()
		s.setStatus(ws, r.task, to)
		s.taskUpdated(ws, r.task, holders)
	case "":
		return Reservation{}, errInvalid("Missing ReservationStatus or Instruction")
	default:
		return Reservation{}, errInvalid("ReservationStatus %q cannot be set", status)
	}
	s.dispatch(ws)
	return s.reservationView(ws, r, taskSid != ""), nil
}

// accept assigns the task to the worker; the caller holds s.mu.
func (s *Service) accept(ws *workspace, r *reservation, activitySid string) error {
	if r.status != ResPending {
		return errInvalid("Reservation %s is %s, not pending", r.sid, r.status)
	}
	t := r.task
	r.stopTimer()
	r.status, r.updated = ResAccepted, s.now()
	t.status = StatusAssigned
	t.touch(s.now())
	s.stopStep(t)
	if activitySid != "" {
		s.setActivity(ws, r.worker, activitySid)
	} else if q, ok := ws.queues.get(t.queue); ok && !ws.multiTask && q.asgActivity != "" {
		s.setActivity(ws, r.worker, q.asgActivity)
	}
	s.emitReservation(ws, r, EventReservationAccepted)
	for _, o := range t.reservations {
		if o != r && o.status == ResPending {
			s.endReservation(ws, o, ResRescinded, EventReservationRescinded)
		}
	}
	return nil
}

// reject ends a pending offer and puts the task back in its queue.
func (s *Service) reject(ws *workspace, r *reservation, activitySid string) {
	r.task.rejected[r.worker.sid] = true
	s.endReservation(ws, r, ResRejected, EventReservationRejected)
	if activitySid != "" {
		s.setActivity(ws, r.worker, activitySid)
	}
}

// onReservationTimeout fires when a worker did not answer: the reservation
// times out, the worker moves to the workspace's timeout activity and the
// task is routed again.
func (s *Service) onReservationTimeout(wsSid, sid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	ws, r, err := s.reservation(wsSid, "", "", sid)
	if err != nil || r.status != ResPending {
		return
	}
	s.endReservation(ws, r, ResTimeout, EventReservationTimeout)
	if ws.timeoutActivity != "" {
		s.setActivity(ws, r.worker, ws.timeoutActivity)
	}
	s.dispatch(ws)
}

// requeue returns a reserved task to pending once no offer is left.
func (s *Service) requeue(ws *workspace, t *task) {
	if t.status != StatusReserved {
		return
	}
	for _, o := range t.reservations {
		if o.status == ResPending {
			return
		}
	}
	t.status = StatusPending
	t.touch(s.now())
	if t.route.filter != routeDirect {
		s.place(ws, t) // a step may have timed out during the offer
	}
}

// endReservation moves a reservation to a final status, frees the worker and,
// when it was the task's last offer, puts a reserved task back to pending.
func (s *Service) endReservation(ws *workspace, r *reservation, status, event string) {
	r.stopTimer()
	r.status, r.updated = status, s.now()
	delete(r.worker.active, r.sid)
	s.requeue(ws, r.task)
	s.emitReservation(ws, r, event)
}

func (s *Service) emitReservation(ws *workspace, r *reservation, event string) {
	rv := s.reservationView(ws, r, false)
	tv := s.taskView(ws, r.task)
	s.emit(Event{EventType: event, WorkspaceSid: ws.sid, WorkerSid: r.worker.sid, Reservation: &rv, Task: &tv})
}

func (s *Service) reservation(wsSid, taskSid, workerSid, sid string) (*workspace, *reservation, error) {
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, nil, err
	}
	r, ok := ws.reservations.get(sid)
	if !ok || (taskSid != "" && r.task.sid != taskSid) || (workerSid != "" && r.worker.sid != workerSid) {
		path := ws.path() + "/Reservations/" + sid
		if taskSid != "" {
			path = ws.path() + "/Tasks/" + taskSid + "/Reservations/" + sid
		} else if workerSid != "" {
			path = ws.path() + "/Workers/" + workerSid + "/Reservations/" + sid
		}
		return nil, nil, errNotFound(path)
	}
	return ws, r, nil
}

// reservationView renders a reservation under its task (taskScoped) or its
// worker, as the two REST paths do.
func (s *Service) reservationView(ws *workspace, r *reservation, taskScoped bool) Reservation {
	u := ws.url() + "/Workers/" + r.worker.sid + "/Reservations/" + r.sid
	if taskScoped {
		u = ws.url() + "/Tasks/" + r.task.sid + "/Reservations/" + r.sid
	}
	return Reservation{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, Sid: r.sid, TaskSid: r.task.sid,
		WorkerSid: r.worker.sid, WorkerName: r.worker.name, ReservationStatus: r.status,
		DateCreated: ts(r.created), DateUpdated: ts(r.updated), URL: u,
		Links: map[string]string{
			"task":      ws.url() + "/Tasks/" + r.task.sid,
			"worker":    ws.url() + "/Workers/" + r.worker.sid,
			"workspace": ws.url(),
		},
	}
}
