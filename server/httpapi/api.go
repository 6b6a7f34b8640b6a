package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
)

func (s *server) callAction(w http.ResponseWriter, r *http.Request) {
	taskSid := chi.URLParam(r, "taskSid")
	if err := call.CheckSID("taskSid", call.PrefixTask, taskSid); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	action := call.CallAction(chi.URLParam(r, "action"))
	if !action.Valid() {
		writeJSONError(w, http.StatusNotFound, "unknown action "+string(action))
		return
	}
	setLogTask(r, taskSid)
	if err := s.flow.Act(agentFrom(r.Context()), taskSid, action); err != nil {
		status := callflow.HTTPStatus(err)
		if status >= 500 {
			s.log.Error("call action failed", "task_sid", taskSid, "action", action, "error", err)
		}
		writeJSONError(w, status, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) queues(w http.ResponseWriter, r *http.Request) {
	qs, err := s.flow.Queues()
	if err != nil {
		s.log.Error("listing queues failed", "error", err)
		writeJSONError(w, http.StatusBadGateway, "could not list the callable queues: "+err.Error())
		return
	}
	if qs == nil {
		qs = []callflow.Queue{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"queues": qs})
}
