package callflow

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// nameAnswerer tells the caller of a queue call who answered: the worker
// holding the accepted reservation on the callee's task (TaskRouter's
// state, never the task's attributes), by name, with the queue the call came
// through. The caller's record then reads "Bob Baker" via "Sales"; the
// callee's has said via "Sales" since the task was made.
//
// It is display only: when Twilio fails here the call goes on, and the
// caller keeps seeing the queue's name.
func (f *Flow) nameAnswerer(ctx context.Context, callerSid string, cic *call.InternalCall, queue string) {
	if cic.Target != call.TargetQueue || cic.Via != "" || cic.CalleeTaskSid == "" || queue == "" {
		return
	}
	res, err := f.tr.TaskReservations(ctx, cic.CalleeTaskSid, "")
	if err != nil {
		f.log.Warn("who answered the queue call is not known", "task_sid", callerSid, "error", err)
		return
	}
	worker := ""
	for _, r := range res {
		if r.Status == call.ReservationAccepted || r.Status == call.ReservationWrapping {
			worker = r.WorkerSid
		}
	}
	if worker == "" {
		return
	}
	w, err := f.tr.FetchWorker(ctx, worker)
	if err != nil {
		f.log.Warn("who answered the queue call is not known", "task_sid", callerSid, "error", err)
		return
	}
	_, err = f.mutate(ctx, callerSid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		if ic.Via != "" || ic.Status != call.StatusConnected {
			return nil
		}
		ic.PeerName, ic.Via = w.Name(), queue
		return attrs(t)
	})
	if err != nil {
		f.log.Warn("who answered the queue call could not be recorded", "task_sid", callerSid, "error", err)
	}
}
