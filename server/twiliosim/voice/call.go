package voice

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// call is one call leg. Its fields are guarded by Engine.mu; its goroutine
// (run) only executes media and HTTP and takes the lock for each state change.
type call struct {
	sid, from, to, direction string
	status                   string
	created, updated         time.Time
	started, ended           time.Time
	req                      DialRequest

	// ctx lives as long as the call; cancel ends the goroutine's waits.
	ctx    context.Context
	cancel context.CancelFunc
	// seg is the running TwiML's context: cancelling it interrupts the
	// current verb for pending (new TwiML from a call update).
	seg     context.CancelFunc
	pending *action
	part    *participant // the conference the call is in, if any
	seq     int          // status callback SequenceNumber
}

// action is what a call runs next: a URL to fetch or inline TwiML.
type action struct {
	url, method, twiml string
	join               *joinTarget // a Create Participant call's conference
}

func (c *call) final() bool {
	switch c.status {
	case "completed", "busy", "no-answer", "failed", "canceled":
		return true
	}
	return false
}

// Dial places an outbound-api call: it rings req.To (asking Endpoints), and on
// answer runs req.Twiml or the TwiML fetched from req.URL.
func (e *Engine) Dial(req DialRequest) (string, error) {
	if req.To == "" {
		return "", rest.BadRequest(21201, "No 'To' number is specified")
	}
	if req.From == "" {
		return "", rest.BadRequest(21603, "A 'From' phone number is required.")
	}
	if req.URL == "" && req.Twiml == "" && req.join == nil {
		return "", rest.BadRequest(21205, "Url parameter is required.")
	}
	if req.Twiml != "" {
		if _, err := parseTwiML([]byte(req.Twiml)); err != nil {
			return "", rest.BadRequest(21220, "Invalid TwiML: %v", err)
		}
	}
	if req.Method == "" || !strings.EqualFold(req.Method, "GET") {
		req.Method = "POST"
	} else {
		req.Method = "GET"
	}
	if req.Timeout <= 0 {
		req.Timeout = 60 * time.Second
	}
	if len(req.StatusCallbackEvents) == 0 {
		req.StatusCallbackEvents = []string{"completed"}
	}
	now := time.Now()
	c := &call{
		sid:       rest.NewSID("CA"),
		from:      req.From,
		to:        req.To,
		direction: "outbound-api",
		status:    "queued",
		created:   now,
		updated:   now,
		req:       req,
	}
	e.lock()
	if e.closed {
		e.unlock()
		return "", errEngineClosed
	}
	c.ctx, c.cancel = context.WithCancel(e.ctx)
	e.calls[c.sid] = c
	e.callList = append(e.callList, c)
	e.callEventLocked(c, "initiated")
	e.wg.Add(1)
	e.unlock()
	go e.run(c)
	return c.sid, nil
}

// Hangup is the far end hanging up (an agent pressing hang-up): an answered
// call completes, a ringing one is declined (busy), a queued one is canceled.
// In a conference the participant leaves with participant_hung_up.
func (e *Engine) Hangup(callSid string) error {
	e.lock()
	defer e.unlock()
	c, ok := e.calls[callSid]
	if !ok {
		return rest.NotFound("Call " + callSid)
	}
	if c.final() {
		return fmt.Errorf("voice: call %s already %s", callSid, c.status)
	}
	e.farHangupLocked(c)
	return nil
}

func (e *Engine) farHangupLocked(c *call) {
	switch c.status {
	case "queued":
		e.endLocked(c, "canceled", "participant_hung_up")
	case "ringing":
		e.endLocked(c, "busy", "participant_hung_up")
	case "in-progress":
		e.endLocked(c, "completed", "participant_hung_up")
	}
}

// endLocked ends the call with a final status; if it is in a conference it
// leaves with reason.
func (e *Engine) endLocked(c *call, status, reason string) {
	if c.final() {
		return
	}
	if c.part != nil {
		e.leaveLocked(c.part, reason, status, false)
	}
	c.status = status
	c.ended = time.Now()
	c.updated = c.ended
	c.cancel()
	e.callEventLocked(c, "completed")
	e.closeStreamLocked(c.sid)
	if f := c.req.OnEnded; f != nil {
		sid := c.sid
		e.afterUnlock(func() { f(sid, status) })
	}
	e.log.Info("call ended", "call", c.sid, "status", status)
}

// redirectLocked replaces what the call runs with act: the running verb is
// interrupted and the call leaves its conference first.
func (e *Engine) redirectLocked(c *call, act action) error {
	switch c.status {
	case "queued", "ringing":
		// Not answered yet: the new TwiML is what runs on answer.
		c.req.URL, c.req.Method, c.req.Twiml, c.req.join = act.url, act.method, act.twiml, act.join
		return nil
	case "in-progress":
		if c.part != nil {
			e.leaveLocked(c.part, "participant_updated_via_api", "in-progress", false)
		}
		c.pending = &act
		if c.seg != nil {
			c.seg()
		}
		c.updated = time.Now()
		return nil
	}
	return rest.BadRequest(21220, "Call is not in-progress. Cannot redirect.")
}

// run is the call's goroutine: ring, answer, then run TwiML until the call ends.
func (e *Engine) run(c *call) {
	defer e.wg.Done()
	if !e.ring(c) {
		return
	}
	if f := c.req.OnAnswered; f != nil {
		f(c.sid)
	}
	e.lock()
	act := &action{url: c.req.URL, method: c.req.Method, twiml: c.req.Twiml, join: c.req.join}
	e.unlock()
	end := "completed"
	for {
		e.lock()
		if c.final() {
			e.unlock()
			return
		}
		if c.pending != nil {
			// A call update arrived: it replaces whatever came next.
			act, c.pending = c.pending, nil
		}
		if act == nil {
			// The TwiML ran out (or said Hangup/Reject, or failed).
			e.endLocked(c, end, "participant_hung_up")
			e.unlock()
			return
		}
		ctx, cancel := context.WithCancel(c.ctx)
		c.seg = cancel
		e.unlock()

		end = e.execute(ctx, c, *act)
		cancel()
		act = nil
	}
}

// ring takes the call from queued to in-progress; false when it ended instead.
func (e *Engine) ring(c *call) bool {
	e.lock()
	if c.final() {
		e.unlock()
		return false
	}
	c.status, c.updated = "ringing", time.Now()
	e.callEventLocked(c, "ringing")
	e.unlock()

	answer, after := true, time.Duration(0)
	if e.cfg.Endpoints != nil {
		answer, after = e.cfg.Endpoints.Answer(c.to)
	}
	timeout := c.req.Timeout
	wait, status := after, "in-progress"
	switch {
	case !answer && after <= 0, after >= timeout:
		wait, status = timeout, "no-answer"
	case !answer:
		status = "busy"
	}
	// Ringing is wall-clock time (not media): Endpoints and Timeout speak real time.
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.ctx.Done():
		return false
	}
	e.lock()
	defer e.unlock()
	if c.final() {
		return false
	}
	if status != "in-progress" {
		e.endLocked(c, status, "")
		return false
	}
	c.status = "in-progress"
	c.started = time.Now()
	c.updated = c.started
	e.callEventLocked(c, "answered")
	return true
}

func (c *call) snapshot(e *Engine) Call {
	uri := "/2010-04-01/Accounts/" + e.cfg.AccountSid + "/Calls/" + c.sid
	out := Call{
		Sid:           c.sid,
		AccountSid:    e.cfg.AccountSid,
		From:          c.from,
		FromFormatted: c.from,
		To:            c.to,
		ToFormatted:   c.to,
		Status:        c.status,
		Direction:     c.direction,
		ApiVersion:    "2010-04-01",
		DateCreated:   rest.Time2010(c.created),
		DateUpdated:   rest.Time2010(c.updated),
		PriceUnit:     "USD",
		QueueTime:     "0",
		Uri:           uri + ".json",
		SubresourceUris: map[string]string{
			"notifications":         uri + "/Notifications.json",
			"recordings":            uri + "/Recordings.json",
			"events":                uri + "/Events.json",
			"user_defined_messages": uri + "/UserDefinedMessages.json",
		},
	}
	if !c.started.IsZero() {
		out.StartTime = rest.Time2010(c.started)
	}
	if !c.ended.IsZero() {
		out.EndTime = rest.Time2010(c.ended)
		d := 0
		if !c.started.IsZero() {
			d = int(c.ended.Sub(c.started).Seconds())
		}
		out.Duration = strconv.Itoa(d)
	}
	return out
}
