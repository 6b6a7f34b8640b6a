package callflow

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// settle gives both tasks of a call their final status. With status empty the
// status follows from how far the call got (connected → ended, otherwise
// canceled); a status set earlier (declined, no-answer, failed) is kept. The
// callee's task is withdrawn when it was never accepted; with closeTasks the
// assigned tasks move to wrap-up, as the call is over for both agents.
func (f *Flow) settle(ctx context.Context, callerSid string, status call.Status, reason string, closeTasks bool) error {
	caller, err := f.mutate(ctx, callerSid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		var u *call.TaskUpdate
		if !ic.Status.Final() {
			next := status
			if next == "" {
				next = call.StatusCanceled
				if ic.Status == call.StatusConnected {
					next = call.StatusEnded
				}
			}
			ic.Status = next
			ic.Reason = reason
			ic.Held = ""
			u = attrs(t)
		}
		if closeTasks {
			u = closeTask(t, u, reason)
		}
		return u
	})
	if err != nil {
		return err
	}
	cic := internalCall(caller)
	calleeSid := cic.CalleeTaskSid
	if calleeSid == "" {
		if calleeSid, err = f.findCallee(ctx, callerSid); err != nil || calleeSid == "" {
			return err
		}
	}
	_, err = f.mutate(ctx, calleeSid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		var u *call.TaskUpdate
		if ic.Status != cic.Status {
			ic.Status, ic.Reason, ic.Held = cic.Status, cic.Reason, ""
			u = attrs(t)
		}
		if closeTasks || t.AssignmentStatus != call.TaskAssigned {
			u = closeTask(t, u, reason)
		}
		return u
	})
	if call.Is(err, call.NotFound) {
		return nil
	}
	return err
}

// closeTask adds to u the assignment change that ends the task: wrap-up once
// assigned, canceled before that.
func closeTask(t *call.Task, u *call.TaskUpdate, reason string) *call.TaskUpdate {
	next := ""
	switch t.AssignmentStatus {
	case call.TaskAssigned:
		next = call.TaskWrapping
	case call.TaskPending, call.TaskReserved:
		next = call.TaskCanceled
	default:
		return u
	}
	if u == nil {
		u = &call.TaskUpdate{}
	}
	u.AssignmentStatus = next
	u.Reason = reason
	return u
}

// findCallee looks up the callee task of a call from Twilio's state, for when
// the caller's task does not name it (yet).
func (f *Flow) findCallee(ctx context.Context, callerSid string) (string, error) {
	if !call.ValidSID(call.PrefixTask, callerSid) {
		return "", call.Errorf(call.Invalid, "caller task %q is not a task SID", callerSid)
	}
	expr := `internal_call.role == "callee" AND internal_call.caller_task_sid == "` + callerSid + `"`
	tasks, err := f.tr.FindTasks(ctx, expr)
	if err != nil || len(tasks) == 0 {
		return "", err
	}
	return tasks[0].Sid, nil
}
