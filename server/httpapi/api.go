package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
)

func (s *server) callAction(w http.ResponseWriter, r *http.Request) {
	taskSid := chi.URLParam(r, "taskSid")
	if err := call.CheckSID("taskSid", call.PrefixTask, taskSid); err != nil {
		writeAPIError(w, call.Errorf(call.Invalid, "%v", err))
		return
	}
	action := call.CallAction(chi.URLParam(r, "action"))
	if !action.Valid() {
		writeAPIError(w, call.Errorf(call.NotFound, "unknown action %s", action))
		return
	}
	setLogTask(r, taskSid)
	if err := s.flow.Act(r.Context(), agentFrom(r.Context()), taskSid, action); err != nil {
		if httpStatus(err) >= 500 {
			s.log.Error("call action failed", "task_sid", taskSid, "action", action, "error", err)
		}
		writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, call.APIOK{Status: "ok"})
}

func (s *server) queues(w http.ResponseWriter, r *http.Request) {
	qs, err := s.flow.Queues(r.Context())
	if err != nil {
		s.log.Error("listing queues failed", "error", err)
		writeAPIError(w, &call.Error{Code: call.CodeOf(err), Msg: "could not list the callable queues: " + err.Error(), Err: err})
		return
	}
	if qs == nil {
		qs = []call.Queue{}
	}
	writeJSON(w, http.StatusOK, call.APIQueues{Queues: qs})
}
