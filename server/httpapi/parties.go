package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
)

// Conferencing is the call flow's transfer and participant API (callflow.Flow).
type Conferencing interface {
	Transfer(ctx context.Context, who call.FlexUser, taskSid string, req call.APITransfer) (string, error)
	CompleteTransfer(ctx context.Context, who call.FlexUser, taskSid string) error
	CancelTransfer(ctx context.Context, who call.FlexUser, taskSid string) error
	AddNumber(ctx context.Context, who call.FlexUser, taskSid, number string) (string, error)
	RemoveParticipant(ctx context.Context, who call.FlexUser, taskSid, label string) error
	HoldParticipant(ctx context.Context, who call.FlexUser, taskSid, label string, on bool) error
	Participants(ctx context.Context, who call.FlexUser, taskSid string) (call.APIParticipants, error)
}

// partyRoutes are the transfer and participant endpoints, under the Flex
// token check and the API deadline: the same party checks as the call
// actions, decided by the flow from the call's sealed record.
func (s *server) partyRoutes(r chi.Router) {
	calls := call.PathAPICalls + "/{taskSid}"
	r.Post(calls+call.PathTransfer, s.transfer)
	r.Post(calls+call.PathTransferComplete, s.onTask("complete transfer", s.flow.CompleteTransfer))
	r.Post(calls+call.PathTransferCancel, s.onTask("cancel transfer", s.flow.CancelTransfer))
	r.Get(calls+call.PathParticipants, s.participants)
	r.Post(calls+call.PathParticipants, s.addParticipant)
	r.Delete(calls+call.PathParticipants+"/{label}", s.onParty("remove participant", s.flow.RemoveParticipant))
	r.Post(calls+call.PathParticipants+"/{label}/hold", s.onParty("hold participant", func(ctx context.Context, who call.FlexUser, task, label string) error {
		return s.flow.HoldParticipant(ctx, who, task, label, true)
	}))
	r.Post(calls+call.PathParticipants+"/{label}/unhold", s.onParty("unhold participant", func(ctx context.Context, who call.FlexUser, task, label string) error {
		return s.flow.HoldParticipant(ctx, who, task, label, false)
	}))
}

// taskParam is the route's task SID, checked; it writes the 400 itself.
func taskParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	sid := chi.URLParam(r, "taskSid")
	if err := call.CheckSID("taskSid", call.PrefixTask, sid); err != nil {
		writeAPIError(w, call.Errorf(call.Invalid, "%v", err))
		return "", false
	}
	setLogTask(r, sid)
	return sid, true
}

// labelParam is the route's participant label, checked.
func labelParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	l := chi.URLParam(r, "label")
	if l != call.LabelCaller && l != call.LabelCallee && !call.IsPartyLabel(l) {
		writeAPIError(w, call.Errorf(call.Invalid, "label %q is not a participant's (caller, callee, transfer-N or external-N)", l))
		return "", false
	}
	return l, true
}

// decodeBody reads a JSON body into v, refusing unknown fields and trailing data.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	d := json.NewDecoder(r.Body)
	d.DisallowUnknownFields()
	err := d.Decode(v)
	if err == nil && d.Decode(new(json.RawMessage)) != io.EOF {
		err = errors.New("unexpected data after the JSON object")
	}
	if err != nil {
		writeAPIError(w, call.Errorf(call.Invalid, "the request body must be a JSON object: %v", err))
		return false
	}
	return true
}

// answer writes the flow's result: its error as the other actions do, or ok.
func (s *server) answer(w http.ResponseWriter, what, taskSid string, err error, ok any) {
	if err != nil {
		if httpStatus(err) >= 500 {
			s.log.Error(what+" failed", "task_sid", taskSid, "error", err)
		}
		writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ok)
}

func (s *server) onTask(what string, act func(ctx context.Context, who call.FlexUser, taskSid string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		task, ok := taskParam(w, r)
		if !ok {
			return
		}
		s.answer(w, what, task, act(r.Context(), agentFrom(r.Context()), task), call.APIOK{Status: "ok"})
	}
}

func (s *server) onParty(what string, act func(ctx context.Context, who call.FlexUser, taskSid, label string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		task, ok := taskParam(w, r)
		if !ok {
			return
		}
		label, ok := labelParam(w, r)
		if !ok {
			return
		}
		s.answer(w, what, task, act(r.Context(), agentFrom(r.Context()), task, label), call.APIOK{Status: "ok"})
	}
}

func (s *server) transfer(w http.ResponseWriter, r *http.Request) {
	task, ok := taskParam(w, r)
	if !ok {
		return
	}
	var req call.APITransfer
	if !decodeBody(w, r, &req) {
		return
	}
	switch {
	case req.Target == "":
		writeAPIError(w, call.Errorf(call.Invalid, "target is missing: an agent's contact URI or queue:<name>"))
		return
	case !req.Mode.Valid():
		writeAPIError(w, call.Errorf(call.Invalid, "mode must be %q or %q", call.TransferCold, call.TransferWarm))
		return
	}
	label, err := s.flow.Transfer(r.Context(), agentFrom(r.Context()), task, req)
	s.answer(w, "transfer", task, err, call.APIPartyOK{Status: "ok", Label: label})
}

func (s *server) addParticipant(w http.ResponseWriter, r *http.Request) {
	task, ok := taskParam(w, r)
	if !ok {
		return
	}
	var req call.APIAddParticipant
	if !decodeBody(w, r, &req) {
		return
	}
	if req.Number = strings.TrimSpace(req.Number); req.Number == "" {
		writeAPIError(w, call.Errorf(call.Invalid, "number is missing"))
		return
	}
	label, err := s.flow.AddNumber(r.Context(), agentFrom(r.Context()), task, req.Number)
	s.answer(w, "add participant", task, err, call.APIPartyOK{Status: "ok", Label: label})
}

func (s *server) participants(w http.ResponseWriter, r *http.Request) {
	task, ok := taskParam(w, r)
	if !ok {
		return
	}
	list, err := s.flow.Participants(r.Context(), agentFrom(r.Context()), task)
	s.answer(w, "list participants", task, err, list)
}
