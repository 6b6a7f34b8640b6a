package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
)

// legHandler serves the TwiML of one leg (caller or callee).
func (s *server) legHandler(twiml func(context.Context, callflow.LegRequest) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lr, err := parseLegRequest(r)
		if err != nil {
			writeText(w, http.StatusBadRequest, err.Error())
			return
		}
		setLogTask(r, lr.TaskSid)
		doc, err := twiml(r.Context(), lr)
		if err != nil {
			s.twimlFailure(w, r, err)
			return
		}
		writeTwiML(w, doc)
	}
}

func parseLegRequest(r *http.Request) (callflow.LegRequest, error) {
	var lr callflow.LegRequest
	var err error
	if lr.TaskSid, err = sidParam(r, call.ParamTaskSid, call.PrefixTask, true); err != nil {
		return lr, err
	}
	if lr.CallSid, err = sidParam(r, "CallSid", call.PrefixCall, false); err != nil {
		return lr, err
	}
	lr.To = r.PostForm.Get("To")
	if lr.To == "" {
		lr.To = r.PostForm.Get("Called")
	}
	if !call.ValidContactURI(lr.To) {
		return lr, errBadParam("To", "must be the client: or sip: address Twilio dialled")
	}
	q := r.URL.Query()
	if v := q.Get(call.ParamAttempt); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			return lr, errBadParam(call.ParamAttempt, "must be a whole number from 0 to 1000")
		}
		lr.Attempt = n
	}
	for _, h := range []struct {
		param, prefix string
		dst           *string
	}{{call.ParamCallerTaskSid, call.PrefixTask, &lr.CallerTaskHint}, {call.ParamConferenceSid, call.PrefixConference, &lr.ConferenceHint}} {
		if v := q.Get(h.param); v != "" {
			if err := call.CheckSID(h.param, h.prefix, v); err != nil {
				return lr, err
			}
			*h.dst = v
		}
	}
	return lr, nil
}

// twimlFailure answers a leg whose TwiML could not be produced: a request we
// refuse gets its HTTP status; otherwise the agent hears why the call ends
// instead of Twilio's generic application error.
func (s *server) twimlFailure(w http.ResponseWriter, r *http.Request, err error) {
	status := httpStatus(err)
	if status == http.StatusBadRequest {
		writeText(w, status, err.Error())
		return
	}
	s.log.Error("twiml failed", "path", r.URL.Path, "error", err)
	if status == http.StatusNotFound {
		writeTwiML(w, callflow.EndedTwiML())
		return
	}
	writeTwiML(w, callflow.FailedTwiML())
}

func (s *server) waitURL(w http.ResponseWriter, r *http.Request) {
	taskSid, err := sidParam(r, call.ParamTaskSid, call.PrefixTask, true)
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	setLogTask(r, taskSid)
	since, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	if err != nil || since <= 0 {
		writeText(w, http.StatusBadRequest, "since must be a Unix time in milliseconds")
		return
	}
	callSid, err := optionalSIDParam(r, "CallSid", call.PrefixCall)
	if err != nil {
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	rr := callflow.RingbackRequest{TaskSid: taskSid, CallSid: callSid, Since: time.UnixMilli(since)}
	doc, err := s.flow.Ringback(r.Context(), rr)
	if err != nil {
		// Keep the caller hearing ringback and ask again shortly: the timeout
		// is re-checked on the next fetch.
		s.log.Error("ringback failed", "task_sid", taskSid, "error", err)
		writeTwiML(w, s.flow.RingbackRetry(rr))
		return
	}
	writeTwiML(w, doc)
}

type paramError struct{ name, why string }

func (e *paramError) Error() string { return e.name + " " + e.why }

func errBadParam(name, why string) error { return &paramError{name, why} }
