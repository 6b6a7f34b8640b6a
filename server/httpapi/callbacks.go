package httpapi

import (
	"net/http"
	"strconv"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
)

func (s *server) conferenceCallback(w http.ResponseWriter, r *http.Request) {
	e, err := parseConferenceEvent(r)
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	setLogTask(r, e.CallerTaskSid)
	if err := s.flow.HandleConferenceEvent(r.Context(), e); err != nil {
		status := httpStatus(err)
		if status >= 500 {
			s.log.Error("conference callback failed", "task_sid", e.CallerTaskSid, "event", e.Event, "error", err)
		}
		writeText(w, status, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) legStatusCallback(w http.ResponseWriter, r *http.Request) {
	ls, err := parseLegStatus(r)
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	setLogTask(r, ls.TaskSid)
	if err := s.flow.HandleLegStatus(r.Context(), ls); err != nil {
		status := httpStatus(err)
		if status >= 500 {
			s.log.Error("leg status callback failed", "task_sid", ls.TaskSid, "call_status", ls.CallStatus, "error", err)
		}
		writeText(w, status, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func parseLegStatus(r *http.Request) (callflow.LegStatus, error) {
	var ls callflow.LegStatus
	var err error
	if ls.TaskSid, err = sidParam(r, call.ParamTaskSid, call.PrefixTask, true); err != nil {
		return ls, err
	}
	if ls.CallSid, err = sidParam(r, "CallSid", call.PrefixCall, false); err != nil {
		return ls, err
	}
	if ls.CallStatus = r.PostForm.Get("CallStatus"); ls.CallStatus == "" {
		return ls, errBadParam("CallStatus", "is missing")
	}
	// A number added to the call: its party's label, from our own URL.
	if ls.Label = r.URL.Query().Get(callflow.ParamLabel); ls.Label != "" && !call.IsPartyLabel(ls.Label) {
		return ls, errBadParam(callflow.ParamLabel, "is not a participant's label")
	}
	return ls, nil
}

func parseConferenceEvent(r *http.Request) (callflow.ConferenceEvent, error) {
	var e callflow.ConferenceEvent
	var err error
	if e.CallerTaskSid, err = sidParam(r, call.ParamTaskSid, call.PrefixTask, true); err != nil {
		return e, err
	}
	if e.ConferenceSid, err = sidParam(r, "ConferenceSid", call.PrefixConference, false); err != nil {
		return e, err
	}
	f := r.PostForm
	e.Event = f.Get("StatusCallbackEvent")
	switch e.Event {
	case "":
		return e, errBadParam("StatusCallbackEvent", "is missing")
	case callflow.EventParticipantJoin, callflow.EventParticipantLeft:
		if e.CallSid, err = sidParam(r, "CallSid", call.PrefixCall, false); err != nil {
			return e, err
		}
	default:
		if e.CallSid, err = optionalSIDParam(r, "CallSid", call.PrefixCall); err != nil {
			return e, err
		}
	}
	if e.FriendlyName = f.Get("FriendlyName"); e.FriendlyName == "" {
		return e, errBadParam("FriendlyName", "is missing")
	}
	if v := f.Get("SequenceNumber"); v != "" {
		if e.SequenceNumber, err = strconv.Atoi(v); err != nil || e.SequenceNumber < 0 {
			return e, errBadParam("SequenceNumber", "must be a non-negative integer")
		}
	}
	e.Label = f.Get("ParticipantLabel")
	e.Reason = f.Get("ReasonParticipantLeft")
	if e.Event == callflow.EventConferenceEnd {
		e.Reason = f.Get("ReasonConferenceEnded")
	}
	return e, nil
}
