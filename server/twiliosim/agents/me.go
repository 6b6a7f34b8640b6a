package agents

import (
	"net/http"
	"strings"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// Me is what an agent's page shows of itself.
type Me struct {
	Worker       Agent                    `json:"worker"`
	Reservations []taskrouter.Reservation `json:"reservations"`
	Tasks        []map[string]any         `json:"tasks"`
	Calls        []voice.Call             `json:"calls"`
	Conference   *voice.Conference        `json:"conference"`
}

// open reservation statuses: the ones a page still shows.
func openReservation(status string) bool {
	switch status {
	case taskrouter.ResPending, taskrouter.ResAccepted, taskrouter.ResWrapping:
		return true
	}
	return false
}

func (s *Service) me(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	out := Me{Worker: agentOf(sess.worker), Reservations: []taskrouter.Reservation{}, Tasks: []map[string]any{}}
	rs, _ := s.cfg.TaskRouter.WorkerReservations(sess.workspaceSid, sess.worker.Sid)
	for _, res := range rs {
		if !openReservation(res.ReservationStatus) {
			continue
		}
		out.Reservations = append(out.Reservations, res)
		if t, err := s.cfg.TaskRouter.Task(sess.workspaceSid, res.TaskSid); err == nil {
			out.Tasks = append(out.Tasks, sdkTask(t))
		}
	}
	out.Calls = s.liveCalls(sess.contactURI)
	out.Conference = s.conferenceOf(out.Calls)
	rest.WriteJSON(w, http.StatusOK, out)
}

// liveCalls are the agent's legs that have not ended: the calls dialed to the
// agent's contact URI.
func (s *Service) liveCalls(contactURI string) []voice.Call {
	if contactURI == "" {
		return []voice.Call{}
	}
	return s.cfg.Voice.LiveCallsTo(contactURI)
}

// conferenceOf is the live conference one of calls is a participant of.
func (s *Service) conferenceOf(calls []voice.Call) *voice.Conference {
	for _, c := range calls {
		if cf, ok := s.cfg.Voice.ConferenceOfCall(c.Sid); ok {
			return &cf
		}
	}
	return nil
}

// DirectoryEntry is one item of Flex insights' tr-worker index, which Flex
// pages search to find whom to call.
type DirectoryEntry struct {
	WorkerSid         string         `json:"worker_sid"`
	FriendlyName      string         `json:"friendly_name"`
	ActivityName      string         `json:"activity_name"`
	WorkerActivitySid string         `json:"worker_activity_sid"`
	Available         bool           `json:"available"`
	Attributes        map[string]any `json:"attributes"`
	DateUpdated       string         `json:"date_updated"`
}

// directory lists the workspace's workers; ?q= keeps those whose friendly
// name or full name contains it (case-insensitive).
func (s *Service) directory(w http.ResponseWriter, r *http.Request) {
	q := strings.ToLower(r.URL.Query().Get("q"))
	out := []DirectoryEntry{}
	for _, wk := range s.cfg.TaskRouter.Workers(sessionOf(r).workspaceSid) {
		a := agentOf(wk)
		if q != "" && !strings.Contains(strings.ToLower(a.FriendlyName), q) &&
			!strings.Contains(strings.ToLower(a.FullName), q) {
			continue
		}
		out = append(out, DirectoryEntry{
			WorkerSid: wk.Sid, FriendlyName: wk.FriendlyName, ActivityName: wk.ActivityName,
			WorkerActivitySid: wk.ActivitySid, Available: wk.Available, Attributes: a.Attributes,
			DateUpdated: wk.DateUpdated,
		})
	}
	rest.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

// setActivity is worker.update({activitySid}) by activity name or SID.
func (s *Service) setActivity(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	var in struct {
		Activity string `json:"activity"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	sid := in.Activity
	if a, ok := s.cfg.TaskRouter.ActivityByName(sess.workspaceSid, in.Activity); ok {
		sid = a.Sid
	}
	wk, err := s.cfg.TaskRouter.SetWorkerActivity(sess.workspaceSid, sess.worker.Sid, sid)
	if err != nil {
		rest.WriteError(w, asRest(err))
		return
	}
	rest.WriteJSON(w, http.StatusOK, agentOf(wk))
}

// hangup ends the agent's own leg (call_sid, or every live leg of the agent),
// as clicking Hang up in the agent's voice client does.
func (s *Service) hangup(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	var in struct {
		CallSid string `json:"call_sid"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	ended := []string{}
	for _, c := range s.liveCalls(sess.contactURI) {
		if in.CallSid != "" && c.Sid != in.CallSid {
			continue
		}
		if err := s.cfg.Voice.Hangup(c.Sid); err != nil {
			rest.WriteError(w, asRest(err))
			return
		}
		ended = append(ended, c.Sid)
	}
	if len(ended) == 0 {
		rest.WriteError(w, rest.NotFound("/agents/calls"))
		return
	}
	rest.WriteJSON(w, http.StatusOK, map[string]any{"call_sids": ended})
}
