package callflow

import (
	"context"
	"errors"

	"github.com/flex-internal-call/internal-call/call"
)

// settle gives both tasks of a call their final status. With status empty the
// status follows from how far the call got (connected → ended, otherwise
// canceled); a status set earlier (declined, no-answer, failed) is kept. The
// callee's task is withdrawn when it was never accepted; with closeTasks the
// assigned tasks move to wrap-up, as the call is over for both agents.
func (f *Flow) settle(ctx context.Context, callerSid string, status call.Status, reason string, closeTasks bool) (err error) {
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
	if r := recordOf(caller); multiparty(r) {
		defer func() { err = errors.Join(err, f.settleParties(ctx, r, reason)) }()
	}
	calleeSid := cic.CalleeTaskSid
	if calleeSid == "" {
		// A callee task may exist that the caller's record never named (its
		// create answered, the record write did not): withdraw it.
		return f.withdrawUnrecorded(ctx, callerSid, reason)
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

// calleeExpression finds, in TaskRouter's state, the callee tasks made for a caller task.
func calleeExpression(callerSid string) (string, error) {
	if !call.ValidSID(call.PrefixTask, callerSid) {
		return "", call.Errorf(call.Invalid, "caller task %q is not a task SID", callerSid)
	}
	return `internal_call.role == "callee" AND internal_call.caller_task_sid == "` + callerSid + `"`, nil
}

// findCallee looks up the callee task of a call from Twilio's state, for when
// the caller's task does not name it (yet).
func (f *Flow) findCallee(ctx context.Context, callerSid string) (string, error) {
	expr, err := calleeExpression(callerSid)
	if err != nil {
		return "", err
	}
	tasks, err := f.tr.FindTasks(ctx, expr)
	if err != nil || len(tasks) == 0 {
		return "", err
	}
	return tasks[0].Sid, nil
}

// withdrawUnrecorded ends every open task that claims to be the callee of a
// call whose record names none. Such a task cannot be authenticated (the
// server seals a callee task only once the record names it), so only its
// assignment is changed — closing a forged one harms nobody — and it is never
// sealed.
func (f *Flow) withdrawUnrecorded(ctx context.Context, callerSid, reason string) error {
	expr, err := calleeExpression(callerSid)
	if err != nil {
		return err
	}
	tasks, err := f.tr.FindTasks(ctx, expr)
	if err != nil {
		return err
	}
	var errs []error
	final := call.StatusCanceled
	if caller, err := f.tr.FetchTask(ctx, callerSid); err == nil && caller.Attributes.InternalCall != nil && f.seal.Verify(caller) {
		final = caller.Attributes.InternalCall.Status
	}
	for _, t := range tasks {
		u := closeTask(t, nil, reason)
		if ic := t.Attributes.InternalCall; ic != nil && !ic.Status.Final() {
			// For the callee's screen only: the task stays unsealed. (Also
			// for a task already canceled: by the ring timeout's withdrawal,
			// or by TaskRouter's own timeout.)
			ic.Status, ic.Reason = final, reason
			if u == nil {
				u = &call.TaskUpdate{}
			}
			u.Attributes = &t.Attributes
		}
		if u == nil {
			continue
		}
		f.log.Info("withdrawing a callee task the call's record never named", "task_sid", t.Sid, "caller_task_sid", callerSid)
		if _, err := f.tr.UpdateTask(ctx, t.Sid, *u); err != nil && !call.Is(err, call.NotFound) && !call.Is(err, call.Refused) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
