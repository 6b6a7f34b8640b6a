package voice

import (
	"context"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// eventGroup maps a StatusCallbackEvent to the statusCallbackEvent word that
// subscribes to it.
var eventGroup = map[string]string{
	"conference-start":   "start",
	"conference-end":     "end",
	"participant-join":   "join",
	"participant-leave":  "leave",
	"participant-mute":   "mute",
	"participant-unmute": "mute",
	"participant-hold":   "hold",
	"participant-unhold": "hold",
	"participant-modify": "modify",
}

// confEventLocked publishes a conference event: always to subscribers, and as
// a signed status callback when the conference's statusCallbackEvent lists it.
// p is the participant of participant-* events; extra adds parameters.
func (e *Engine) confEventLocked(cf *conference, event string, p *participant, extra map[string]string) {
	now := time.Now()
	ev := Event{Type: event, Conference: ptr(cf.snapshot(e, true))}
	if p != nil {
		ev.Participant = ptr(p.snapshot(e))
		ev.Call = ptr(p.c.snapshot(e))
	}
	ev.Reason = extra["ReasonParticipantLeft"] + extra["ReasonConferenceEnded"]
	e.emitLocked(ev)

	if cf.cbURL == "" || !cf.cbEvents[eventGroup[event]] {
		return
	}
	cf.seq++
	if e.cfg.Withheld != nil && e.cfg.Withheld(event) {
		return // lost on the way, as a dropped callback is: its number is gone too
	}
	form := url.Values{
		"AccountSid":          {e.cfg.AccountSid},
		"ConferenceSid":       {cf.sid},
		"FriendlyName":        {cf.name},
		"StatusCallbackEvent": {event},
		"SequenceNumber":      {strconv.Itoa(cf.seq)},
		"Timestamp":           {rest.Time2010(now)},
	}
	if p != nil {
		form.Set("CallSid", p.c.sid)
		form.Set("Coaching", strconv.FormatBool(p.coaching))
		form.Set("EndConferenceOnExit", strconv.FormatBool(p.endOnExit))
		form.Set("StartConferenceOnEnter", strconv.FormatBool(p.start))
		form.Set("Hold", strconv.FormatBool(p.hold))
		form.Set("Muted", strconv.FormatBool(p.muted))
		if p.label != "" {
			form.Set("ParticipantLabel", p.label)
		}
	}
	for k, v := range extra {
		form.Set(k, v)
	}
	target, method := cf.cbURL, cf.cbMethod
	e.sendLocked(cf.sid, func() { e.postCallback(target, method, form) })
}

// callEventLocked publishes a call progress event (initiated, ringing,
// answered, completed): always to subscribers, and as a signed status
// callback when the call asked for it.
func (e *Engine) callEventLocked(c *call, event string) {
	snap := c.snapshot(e)
	e.emitLocked(Event{Type: EventCallStatus, Call: &snap})
	if c.req.StatusCallback == "" || !slices.Contains(c.req.StatusCallbackEvents, event) {
		return
	}
	form := url.Values{
		"AccountSid":     {e.cfg.AccountSid},
		"ApiVersion":     {"2010-04-01"},
		"CallSid":        {c.sid},
		"CallStatus":     {c.status},
		"Direction":      {c.direction},
		"From":           {c.from},
		"To":             {c.to},
		"Caller":         {c.from},
		"Called":         {c.to},
		"CallbackSource": {"call-progress-events"},
		"SequenceNumber": {strconv.Itoa(c.seq)},
		"Timestamp":      {rest.Time2010(time.Now())},
	}
	c.seq++
	if event == "initiated" {
		// The resource says queued; the callback names the event.
		form.Set("CallStatus", "initiated")
	}
	if event == "completed" {
		form.Set("CallDuration", snap.Duration)
		form.Set("Duration", snap.Duration)
	}
	target, method := c.req.StatusCallback, c.req.StatusCallbackMethod
	e.sendLocked(c.sid, func() { e.postCallback(target, method, form) })
}

// postCallback delivers one callback; the answer is only logged (Twilio
// ignores it apart from its debugger).
func (e *Engine) postCallback(target, method string, form url.Values) {
	ctx, cancel := context.WithTimeout(e.ctx, 15*time.Second)
	defer cancel()
	if !strings.EqualFold(method, "GET") {
		method = "POST"
	} else {
		method = "GET"
	}
	resp, err := e.signedRequest(ctx, method, target, form)
	if err != nil {
		e.log.Warn("callback failed", "url", target, "event", form.Get("StatusCallbackEvent"), "err", err)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode > 299 {
		e.log.Warn("callback answered an error", "url", target, "status", resp.StatusCode,
			"event", form.Get("StatusCallbackEvent")+form.Get("CallStatus"))
	}
}

// emitMedia tells subscribers what c hears now.
func (e *Engine) emitMedia(c *call, what string) {
	e.lock()
	snap := c.snapshot(e)
	e.emitLocked(Event{Type: EventMedia, Call: &snap, Media: what})
	e.unlock()
}

func ptr[T any](v T) *T { return &v }
