package agents

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// createTaskRequest is workerClient.createTask's arguments. Each is decoded
// from raw JSON so that a wrong type is refused as the SDK refuses it.
type createTaskRequest struct {
	To           json.RawMessage `json:"to"`
	From         json.RawMessage `json:"from"`
	WorkflowSid  json.RawMessage `json:"workflowSid"`
	TaskQueueSid json.RawMessage `json:"taskQueueSid"`
	Options      struct {
		TaskChannelUniqueName json.RawMessage `json:"taskChannelUniqueName"`
		Attributes            json.RawMessage `json:"attributes"`
	} `json:"options"`
}

type createTaskResponse struct {
	TaskSid string         `json:"task_sid"`
	Task    map[string]any `json:"task"`
}

// createTask does what the SDK's workerClient.createTask does: the task is
// routed to the calling worker only (RoutingTarget = its SID) and the SDK
// overwrites the attributes outbound_to and from with to and from.
func (s *Service) createTask(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	var in createTaskRequest
	if !decodeBody(w, r, &in) {
		return
	}
	var to, from, wf, queue, channel string
	for _, a := range []struct {
		name     string
		raw      json.RawMessage
		dst      *string
		optional bool
	}{
		{"to", in.To, &to, false},
		{"from", in.From, &from, false},
		{"workflowSid", in.WorkflowSid, &wf, false},
		{"taskQueueSid", in.TaskQueueSid, &queue, false},
		{"options.taskChannelUniqueName", in.Options.TaskChannelUniqueName, &channel, true},
	} {
		if err := stringArg(a.name, a.raw, a.dst, a.optional); err != nil {
			rest.WriteError(w, err)
			return
		}
	}
	attrs := map[string]any{}
	if len(in.Options.Attributes) > 0 && string(in.Options.Attributes) != "null" {
		if err := json.Unmarshal(in.Options.Attributes, &attrs); err != nil || attrs == nil {
			rest.WriteError(w, rest.BadRequest(20001, "options.attributes must be an object"))
			return
		}
	}
	attrs["outbound_to"], attrs["from"] = to, from
	b, _ := json.Marshal(attrs)
	t, err := s.cfg.TaskRouter.CreateTask(sess.workspaceSid, taskrouter.TaskParams{
		Attributes: string(b), WorkflowSid: wf, TaskQueueSid: queue,
		TaskChannel: channel, RoutingTarget: sess.worker.Sid,
	})
	if err != nil {
		rest.WriteError(w, asRest(err))
		return
	}
	rest.WriteJSON(w, http.StatusCreated, createTaskResponse{TaskSid: t.Sid, Task: sdkTask(t)})
}

// stringArg decodes a required (or optional) string argument.
func stringArg(name string, raw json.RawMessage, dst *string, optional bool) *rest.Error {
	if len(raw) == 0 || string(raw) == "null" {
		if optional {
			return nil
		}
		return rest.BadRequest(20001, "%s is required", name)
	}
	if json.Unmarshal(raw, dst) != nil {
		return rest.BadRequest(20001, "%s must be a string", name)
	}
	if *dst == "" && !optional {
		return rest.BadRequest(20001, "%s is required", name)
	}
	return nil
}

// endTask is task.wrapUp() / task.complete() of a task the agent holds.
func (s *Service) endTask(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	sid := chi.URLParam(r, "sid")
	if !s.holds(sess, sid) {
		rest.WriteError(w, rest.NotFound("/agents/tasks/"+sid))
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	var t taskrouter.Task
	var err error
	if chi.URLParam(r, "action") == "wrapup" {
		t, err = s.cfg.TaskRouter.WrapupTask(sess.workspaceSid, sid, in.Reason)
	} else {
		t, err = s.cfg.TaskRouter.CompleteTask(sess.workspaceSid, sid, in.Reason)
	}
	if err != nil {
		rest.WriteError(w, asRest(err))
		return
	}
	rest.WriteJSON(w, http.StatusOK, sdkTask(t))
}

// holds reports whether the agent has an accepted (or wrapping) reservation of the task.
func (s *Service) holds(sess *session, taskSid string) bool {
	rs, err := s.cfg.TaskRouter.WorkerReservations(sess.workspaceSid, sess.worker.Sid)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(rs, func(r taskrouter.Reservation) bool {
		return r.TaskSid == taskSid && (r.ReservationStatus == taskrouter.ResAccepted ||
			r.ReservationStatus == taskrouter.ResWrapping)
	})
}
