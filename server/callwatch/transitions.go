package callwatch

import (
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// changed reports what a task's status going from prev to next means. The
// caller's record counts the call; the callee's copy, whose task is created
// when the callee is offered the call, times the ringing.
func (w *TaskRouter) changed(sid string, prev revision, next call.Status) {
	from := prev.status
	if from == next {
		return
	}
	now := w.now()
	if prev.role == call.RoleCallee {
		if from == call.StatusRinging && next == call.StatusConnected {
			w.phase(PhaseRingingToConnected, prev.created, now)
		}
		return
	}
	switch {
	case next == call.StatusRinging && from == call.StatusInitiated:
		w.phase(PhaseClickToRinging, prev.created, now)
	case next == call.StatusConnected && !from.Final():
		w.rec.CallReached(next)
		w.connected.Add(sid, now)
	case next.Final() && !from.Final():
		w.rec.CallReached(next)
		if at, ok := w.connected.Peek(sid); ok {
			w.connected.Remove(sid)
			if next == call.StatusEnded {
				w.phase(PhaseTalk, at, now)
			}
		}
	}
}

// phase records a phase that began at start (zero: not known) and ends now.
func (w *TaskRouter) phase(name string, start, now time.Time) {
	if start.IsZero() || now.Before(start) {
		return
	}
	w.rec.PhaseTook(name, now.Sub(start))
}
