package agents

import (
	"encoding/json"
	"math"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// ownReservation fetches a reservation of the agent; another worker's is not found.
func (s *Service) ownReservation(w http.ResponseWriter, r *http.Request) (taskrouter.Reservation, bool) {
	sess := sessionOf(r)
	sid := chi.URLParam(r, "sid")
	res, err := s.cfg.TaskRouter.Reservation(sess.workspaceSid, sid)
	if err != nil || res.WorkerSid != sess.worker.Sid {
		rest.WriteError(w, rest.NotFound("/agents/reservations/"+sid))
		return res, false
	}
	return res, true
}

// answerReservation is reservation.accept() / reservation.reject().
func (s *Service) answerReservation(w http.ResponseWriter, r *http.Request) {
	res, ok := s.ownReservation(w, r)
	if !ok {
		return
	}
	ws := sessionOf(r).workspaceSid
	var err error
	if chi.URLParam(r, "action") == "accept" {
		res, err = s.cfg.TaskRouter.AcceptReservation(ws, res.Sid)
	} else {
		res, err = s.cfg.TaskRouter.RejectReservation(ws, res.Sid)
	}
	if err != nil {
		rest.WriteError(w, asRest(err))
		return
	}
	rest.WriteJSON(w, http.StatusOK, res)
}

// callArgs are reservation.call(from, url, options) after the SDK's checks.
type callArgs struct {
	from, url, to, record, statusCallbackURL string
	accept                                   bool
	timeout                                  int
}

// parseCallArgs checks types as taskrouter.js does before sending anything:
// from and url strings, accept a boolean, record a string, timeout an integer.
// The options may come as {"options": {...}} (the SDK's shape) or flat.
func parseCallArgs(body []byte) (callArgs, *rest.Error) {
	var a callArgs
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return a, rest.BadRequest(20001, "Body must be a JSON object")
	}
	opts := top
	if raw, ok := top["options"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &opts); err != nil || opts == nil {
			return a, rest.BadRequest(20001, "options must be an object")
		}
	}
	if err := stringArg("from", top["from"], &a.from, false); err != nil {
		return a, err
	}
	if err := stringArg("url", top["url"], &a.url, false); err != nil {
		return a, err
	}
	for name, dst := range map[string]*string{"to": &a.to, "record": &a.record, "statusCallbackUrl": &a.statusCallbackURL} {
		if err := stringArg(name, opts[name], dst, true); err != nil {
			return a, err
		}
	}
	if raw, ok := opts["accept"]; ok && string(raw) != "null" {
		if json.Unmarshal(raw, &a.accept) != nil {
			return a, rest.BadRequest(20001, "accept must be a boolean")
		}
	}
	if raw, ok := opts["timeout"]; ok && string(raw) != "null" {
		var f float64
		if json.Unmarshal(raw, &f) != nil || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
			return a, rest.BadRequest(20001, "timeout must be an integer")
		}
		a.timeout = int(f)
	}
	return a, nil
}

// callReservation is reservation.call: TaskRouter dials the agent's contact URI
// (or options.to) and runs url's TwiML; with accept the reservation is
// accepted when the agent answers.
func (s *Service) callReservation(w http.ResponseWriter, r *http.Request) {
	var body json.RawMessage
	if !decodeBody(w, r, &body) {
		return
	}
	args, e := parseCallArgs(body)
	if e != nil {
		rest.WriteError(w, e)
		return
	}
	res, ok := s.ownReservation(w, r)
	if !ok {
		return
	}
	u := taskrouter.ReservationUpdate{
		Instruction: "call", CallFrom: args.from, CallTo: args.to, CallURL: args.url,
		CallStatusCallbackURL: args.statusCallbackURL, CallAccept: args.accept, CallTimeout: args.timeout,
	}
	if args.record != "" {
		u.Params = map[string][]string{"CallRecord": {args.record}}
	}
	res, err := s.cfg.TaskRouter.UpdateReservation(sessionOf(r).workspaceSid, res.Sid, u)
	if err != nil {
		rest.WriteError(w, asRest(err))
		return
	}
	rest.WriteJSON(w, http.StatusOK, res)
}
