package callflow

import (
	"net/http"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
)

// settle gives both tasks of a call their final status. With status empty the
// status follows from how far the call got (connected → ended, otherwise
// canceled); a status set earlier (declined, no-answer, failed) is kept. The
// callee's task is withdrawn when it was never accepted; with closeTasks the
// assigned tasks move to wrap-up, as the call is over for both agents.
func (f *Flow) settle(callerSid string, status call.Status, reason string, closeTasks bool) error {
	caller, err := f.mutate(callerSid, func(t *twilioapi.Task, ic *call.InternalCall) *twilioapi.TaskUpdate {
		var u *twilioapi.TaskUpdate
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
		if calleeSid, err = f.findCallee(callerSid); err != nil || calleeSid == "" {
			return err
		}
	}
	_, err = f.mutate(calleeSid, func(t *twilioapi.Task, ic *call.InternalCall) *twilioapi.TaskUpdate {
		var u *twilioapi.TaskUpdate
		if ic.Status != cic.Status {
			ic.Status, ic.Reason, ic.Held = cic.Status, cic.Reason, ""
			u = attrs(t)
		}
		if closeTasks || t.AssignmentStatus != twilioapi.TaskAssigned {
			u = closeTask(t, u, reason)
		}
		return u
	})
	if twilioapi.StatusOf(err) == http.StatusNotFound {
		return nil
	}
	return err
}

// closeTask adds to u the assignment change that ends the task: wrap-up once
// assigned, canceled before that.
func closeTask(t *twilioapi.Task, u *twilioapi.TaskUpdate, reason string) *twilioapi.TaskUpdate {
	next := ""
	switch t.AssignmentStatus {
	case twilioapi.TaskAssigned:
		next = twilioapi.TaskWrapping
	case twilioapi.TaskPending, twilioapi.TaskReserved:
		next = twilioapi.TaskCanceled
	default:
		return u
	}
	if u == nil {
		u = &twilioapi.TaskUpdate{}
	}
	u.AssignmentStatus = next
	u.Reason = reason
	return u
}

// findCallee looks up the callee task of a call from Twilio's state, for when
// the caller's task does not name it (yet).
func (f *Flow) findCallee(callerSid string) (string, error) {
	expr := `internal_call.role == "callee" AND internal_call.caller_task_sid == "` + callerSid + `"`
	tasks, err := f.tw.FindTasks(f.s.WorkspaceSid, expr)
	if err != nil || len(tasks) == 0 {
		return "", err
	}
	return tasks[0].Sid, nil
}
