package voice

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// joinTarget is where a call placed by Create Participant goes on answer:
// straight into that conference, with the participant's settings.
type joinTarget struct {
	confSid string
	s       joinSettings
}

// createParticipant is Twilio's Create Participant: it dials To from From
// and, once the far end answers, puts the call into the conference
// (participant-join as for a <Dial><Conference>). The answer is the
// participant as it stands right after the request: status queued. The
// call's own progress goes to StatusCallback (StatusCallbackEvent: initiated,
// ringing, answered, completed); the conference's events go where its first
// participant said, as for every participant. A call that ends before it is
// answered (busy, no-answer) never joins, and is listed among the
// participants only once it has joined (Twilio may list it while it rings;
// the product depends on neither). A call that leaves the conference hangs
// up: it has no TwiML of its own to go on with.
func (e *Engine) createParticipant(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	start, hasStart, err1 := formBool(r, "StartConferenceOnEnter")
	eoe, _, err2 := formBool(r, "EndConferenceOnExit")
	muted, _, err3 := formBool(r, "Muted")
	for _, err := range []*rest.Error{err1, err2, err3} {
		if err != nil {
			rest.WriteError(w, err)
			return
		}
	}
	if !hasStart {
		start = true // Twilio's default
	}
	timeout := 60 * time.Second
	if t := f.Get("Timeout"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 5 || n > 600 {
			rest.WriteError(w, rest.BadRequest(21216, "Timeout must be an integer between 5 and 600"))
			return
		}
		timeout = time.Duration(n) * time.Second
	}
	e.lock()
	cf := e.conferenceLocked(w, r, "ConferenceSid")
	if cf == nil {
		e.unlock()
		return
	}
	if cf.status == "completed" {
		e.unlock()
		rest.WriteError(w, rest.NotFound(e.base()+"/Conferences/"+cf.sid+"/Participants.json"))
		return
	}
	s := joinSettings{
		name: cf.name, label: f.Get("Label"), start: start, endOnExit: eoe, muted: muted,
		beep: f.Get("Beep") != "false", waitMethod: methodOf(f.Get("WaitMethod")),
	}
	if u := f.Get("WaitUrl"); u != "" {
		s.waitURL = u
	} else {
		s.defaultWait = true
	}
	e.unlock()
	from := f.Get("From")
	if c := f.Get("CallerId"); c != "" {
		from = c
	}
	sid, err := e.Dial(DialRequest{
		From: from, To: f.Get("To"), Timeout: timeout,
		StatusCallback:       f.Get("StatusCallback"),
		StatusCallbackMethod: methodOf(f.Get("StatusCallbackMethod")),
		StatusCallbackEvents: formList(r, "StatusCallbackEvent"),
		join:                 &joinTarget{confSid: cf.sid, s: s},
	})
	if err != nil {
		if re, ok := err.(*rest.Error); ok {
			rest.WriteError(w, re)
		} else {
			rest.WriteError(w, rest.Errorf(http.StatusInternalServerError, 20500, "%v", err))
		}
		return
	}
	e.lock()
	now := time.Now()
	snap := Participant{
		AccountSid: e.cfg.AccountSid, CallSid: sid, ConferenceSid: cf.sid, Label: s.label,
		EndConferenceOnExit: eoe, StartConferenceOnEnter: start, Muted: muted, Status: "queued", QueueTime: "0",
		DateCreated: rest.Time2010(now), DateUpdated: rest.Time2010(now),
		Uri: e.base() + "/Conferences/" + cf.sid + "/Participants/" + sid + ".json",
	}
	e.unlock()
	rest.WriteJSON(w, http.StatusCreated, snap)
}

// joinByREST runs an answered Create Participant call: into its conference
// unless that one ended while it rang, then in it until it leaves. It
// returns the status the call ends with.
func (e *Engine) joinByREST(ctx context.Context, c *call, j joinTarget) string {
	e.lock()
	cf := e.confs[j.confSid]
	if c.final() || ctx.Err() != nil || cf == nil || e.active[cf.name] != cf {
		e.unlock()
		return "completed" // the conference is over: nothing to join
	}
	p := e.joinLocked(c, j.s)
	e.unlock()
	e.inConference(ctx, c, p)
	return "completed"
}
