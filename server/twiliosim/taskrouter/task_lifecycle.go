package taskrouter

import (
	"strconv"
	"strings"
	"time"
)

// Task lifecycle: assignment status changes, the TTL, versions (ETag) and
// the task.updated event.

// checkTransition allows Twilio's status changes: pending/reserved →
// canceled, assigned → wrapping, assigned/wrapping → completed.
func (t *task) checkTransition(to string) error {
	ok := false
	switch to {
	case StatusCanceled:
		ok = t.status == StatusPending || t.status == StatusReserved
	case StatusWrapping:
		ok = t.status == StatusAssigned
	case StatusCompleted:
		ok = t.status == StatusAssigned || t.status == StatusWrapping
	case StatusPending, StatusReserved, StatusAssigned:
	default:
		return errInvalid("Invalid AssignmentStatus %q", to)
	}
	if !ok {
		return errInvalid("Task %s cannot move from %s to %s", t.sid, t.status, to)
	}
	return nil
}

// setStatus applies a validated status change and its effect on reservations.
func (s *Service) setStatus(ws *workspace, t *task, to string) {
	// Status first, so the reservation events carry the task as it now is.
	t.status = to
	t.touch(s.now())
	switch to {
	case StatusCanceled:
		s.stopTimers(t)
		for _, r := range t.reservations {
			if r.open() {
				s.endReservation(ws, r, ResCanceled, EventReservationCanceled)
			}
		}
	case StatusWrapping:
		for _, r := range t.reservations {
			if r.status == ResAccepted {
				r.status, r.updated = ResWrapping, s.now()
				s.emitReservation(ws, r, EventReservationWrapup)
			}
		}
	case StatusCompleted:
		s.stopTimers(t)
		for _, r := range t.reservations {
			if r.status == ResAccepted || r.status == ResWrapping {
				s.endReservation(ws, r, ResCompleted, EventReservationCompleted)
			}
		}
	}
}

// taskTTL cancels a task nobody took in time.
func (s *Service) taskTTL(wsSid, sid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	ws, t, err := s.task(wsSid, sid)
	if err != nil || (t.status != StatusPending && t.status != StatusReserved) {
		return
	}
	holders := t.holders()
	t.reason = strp("Task TTL Exceeded")
	s.setStatus(ws, t, StatusCanceled)
	s.taskUpdated(ws, t, holders)
	s.dispatch(ws)
}

// holders are the workers with an open reservation on t: they hear task.updated.
func (t *task) holders() []string {
	var out []string
	for _, r := range t.reservations {
		if r.open() {
			out = append(out, r.worker.sid)
		}
	}
	return out
}

func (s *Service) taskUpdated(ws *workspace, t *task, workers []string) {
	v := s.taskView(ws, t)
	for _, w := range workers {
		tv := v
		s.emit(Event{EventType: EventTaskUpdated, WorkspaceSid: ws.sid, WorkerSid: w, Task: &tv})
	}
}

func (t *task) touch(now time.Time) {
	t.rev++
	t.updated = now
}

func (t *task) etag() string { return `"` + strconv.Itoa(t.rev) + `"` }

// checkETag compares If-Match with the current version; weak and unquoted
// forms are accepted, "*" matches any version.
func (t *task) checkETag(ifMatch string) error {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" || ifMatch == "*" {
		return nil
	}
	norm := func(s string) string { return strings.Trim(strings.TrimPrefix(strings.TrimSpace(s), "W/"), `"`) }
	for _, cand := range strings.Split(ifMatch, ",") {
		if norm(cand) == norm(t.etag()) {
			return nil
		}
	}
	return errPrecondition(t.etag())
}

func (t *task) final() bool { return t.status == StatusCanceled || t.status == StatusCompleted }

func (s *Service) stopTimers(t *task) {
	if t.ttl != nil {
		t.ttl.Stop()
	}
	s.stopStep(t)
}
