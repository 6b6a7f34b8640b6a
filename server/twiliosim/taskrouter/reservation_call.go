package taskrouter

import (
	"encoding/json"
	"time"
)

// CallReservation is the worker SDK's reservation.call: Instruction=call.
func (s *Service) CallReservation(wsSid, sid, from, callURL string, accept bool, timeout time.Duration) (Reservation, error) {
	return s.UpdateReservation(wsSid, sid, ReservationUpdate{Instruction: "call", CallFrom: from,
		CallURL: callURL, CallAccept: accept, CallTimeout: int(timeout / time.Second)})
}

// call runs the Call instruction: dial the worker (CallTo or its contact_uri)
// outside the lock; with CallAccept the reservation is accepted on answer.
func (s *Service) call(wsSid, taskSid, workerSid, sid string, u ReservationUpdate) (Reservation, error) {
	if u.CallFrom == "" || u.CallURL == "" {
		return Reservation{}, errInvalid("Instruction call requires CallFrom and CallUrl")
	}
	if u.CallTimeout < 0 {
		return Reservation{}, errInvalid("CallTimeout must not be negative")
	}
	timeout := time.Duration(u.CallTimeout) * time.Second
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	s.mu.Lock()
	ws, r, err := s.reservation(wsSid, taskSid, workerSid, sid)
	if err == nil {
		err = r.task.checkETag(u.IfMatch)
	}
	if err == nil && r.status != ResPending {
		err = errInvalid("Reservation %s is %s, not pending", sid, r.status)
	}
	to := u.CallTo
	if err == nil && to == "" {
		to, _ = r.worker.attrMap["contact_uri"].(string)
		if to == "" {
			err = errInvalid("Worker %s has no contact_uri to call", r.worker.sid)
		}
	}
	if err == nil && s.cfg.Dialer == nil {
		err = errInvalid("Instruction call is not available: no voice service")
	}
	if err != nil {
		s.mu.Unlock()
		return Reservation{}, err
	}
	r.instruction, r.params = "call", u.Params
	wsID, rSid, accept := ws.sid, r.sid, u.CallAccept
	s.mu.Unlock()

	onAnswered := func(callSid string) {
		if !accept {
			return
		}
		if _, err := s.AcceptReservation(wsID, rSid); err != nil {
			s.log.Info("taskrouter: call answered but reservation not accepted", "reservation", rSid, "err", err)
		}
	}
	onEnded := func(callSid, status string) {
		s.log.Debug("taskrouter: reservation call ended", "reservation", rSid, "call", callSid, "status", status)
	}
	callSid, err := s.cfg.Dialer.Dial(CallLeg{From: u.CallFrom, To: to, URL: u.CallURL,
		StatusCallback: u.CallStatusCallbackURL, Timeout: timeout, OnAnswered: onAnswered, OnEnded: onEnded})
	if err != nil {
		return Reservation{}, errInvalid("Call instruction failed: %v", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	ws, r, err = s.reservation(wsID, "", "", rSid)
	if err != nil {
		return Reservation{}, err
	}
	r.callSid = callSid
	s.recordWorkerCall(ws, r.task, callSid)
	return s.reservationView(ws, r, taskSid != ""), nil
}

// recordWorkerCall writes worker_call_sid into the task's attributes, as
// TaskRouter does once a Call instruction has placed the worker's leg: a
// writer of the attributes besides the product, which must meet it with
// If-Match. Called with the lock held.
func (s *Service) recordWorkerCall(ws *workspace, t *task, callSid string) {
	attrs := make(map[string]any, len(t.attrMap)+1)
	for k, v := range t.attrMap {
		attrs[k] = v
	}
	attrs["worker_call_sid"] = callSid
	b, err := json.Marshal(attrs)
	if err != nil {
		return
	}
	holders := t.holders()
	t.attrs, t.attrMap = string(b), attrs
	t.touch(s.now())
	s.taskUpdated(ws, t, holders)
}
