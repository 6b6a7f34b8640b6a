package voice

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

func (e *Engine) listConferences(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	e.lock()
	var out []Conference
	for _, cf := range newestFirst(e.confList) {
		if (q.Get("FriendlyName") != "" && cf.name != q.Get("FriendlyName")) ||
			(q.Get("Status") != "" && cf.status != q.Get("Status")) {
			continue
		}
		out = append(out, cf.snapshot(e, false))
	}
	e.unlock()
	rest.Page2010(w, r, e.base()+"/Conferences.json", "conferences", out)
}

// conference looks up the conference of the request's path parameter key;
// it writes the 404 itself. Called with the lock held.
func (e *Engine) conferenceLocked(w http.ResponseWriter, r *http.Request, key string) *conference {
	sid := chi.URLParam(r, key)
	cf, ok := e.confs[sid]
	if !ok {
		rest.WriteError(w, rest.NotFound(e.base()+"/Conferences/"+sid+".json"))
		return nil
	}
	return cf
}

func (e *Engine) fetchConference(w http.ResponseWriter, r *http.Request) {
	e.lock()
	cf := e.conferenceLocked(w, r, "Sid")
	if cf == nil {
		e.unlock()
		return
	}
	snap := cf.snapshot(e, false)
	e.unlock()
	rest.WriteJSON(w, http.StatusOK, snap)
}

// updateConference: Status=completed ends it (everyone's <Dial> completes);
// AnnounceUrl plays to the conference.
func (e *Engine) updateConference(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	e.lock()
	cf := e.conferenceLocked(w, r, "Sid")
	if cf == nil {
		e.unlock()
		return
	}
	switch s := f.Get("Status"); s {
	case "":
	case "completed":
		e.endConfLocked(cf, "conference-ended-via-api", "", "conference_ended_via_api")
	default:
		e.unlock()
		rest.WriteError(w, rest.BadRequest(21218, "Invalid Status %q: use completed", s))
		return
	}
	if u := f.Get("AnnounceUrl"); u != "" && cf.status != "completed" && len(cf.parts) > 0 {
		e.announceLocked(cf.ctx, cf.parts[0].c, u, methodOf(f.Get("AnnounceMethod")))
	}
	snap := cf.snapshot(e, false)
	e.unlock()
	rest.WriteJSON(w, http.StatusOK, snap)
}

// announceLocked plays an announcement (restricted TwiML, once) on its own
// goroutine, for as long as ctx (the conference) lasts.
func (e *Engine) announceLocked(ctx context.Context, c *call, u, method string) {
	if e.closed {
		return
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.playRestricted(ctx, c, u, method, false)
	}()
}

func (e *Engine) listParticipants(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	e.lock()
	cf := e.conferenceLocked(w, r, "ConferenceSid")
	if cf == nil {
		e.unlock()
		return
	}
	var out []Participant
	for _, p := range cf.parts {
		s := p.snapshot(e)
		if (q.Get("Muted") != "" && q.Get("Muted") != boolStr(s.Muted)) ||
			(q.Get("Hold") != "" && q.Get("Hold") != boolStr(s.Hold)) ||
			(q.Get("Coaching") != "" && q.Get("Coaching") != boolStr(s.Coaching)) {
			continue
		}
		out = append(out, s)
	}
	e.unlock()
	rest.Page2010(w, r, e.base()+"/Conferences/"+cf.sid+"/Participants.json", "participants", out)
}

// participantLocked finds the current participant of the request (by call SID
// or label); it writes the 404 itself.
func (e *Engine) participantLocked(w http.ResponseWriter, r *http.Request) *participant {
	cf := e.conferenceLocked(w, r, "ConferenceSid")
	if cf == nil {
		return nil
	}
	id := chi.URLParam(r, "CallSid")
	p := cf.findParticipantLocked(id)
	if p == nil {
		rest.WriteError(w, rest.NotFound(e.base()+"/Conferences/"+cf.sid+"/Participants/"+id+".json"))
	}
	return p
}

func (e *Engine) fetchParticipant(w http.ResponseWriter, r *http.Request) {
	e.lock()
	p := e.participantLocked(w, r)
	if p == nil {
		e.unlock()
		return
	}
	snap := p.snapshot(e)
	e.unlock()
	rest.WriteJSON(w, http.StatusOK, snap)
}

// updateParticipant: Hold (with HoldUrl, HoldMethod), Muted,
// EndConferenceOnExit, AnnounceUrl.
func (e *Engine) updateParticipant(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	hold, hasHold, err1 := formBool(r, "Hold")
	muted, hasMuted, err2 := formBool(r, "Muted")
	eoe, hasEOE, err3 := formBool(r, "EndConferenceOnExit")
	for _, err := range []*rest.Error{err1, err2, err3} {
		if err != nil {
			rest.WriteError(w, err)
			return
		}
	}
	e.lock()
	p := e.participantLocked(w, r)
	if p == nil {
		e.unlock()
		return
	}
	if hasHold {
		holdMethod := ""
		if m := f.Get("HoldMethod"); m != "" {
			holdMethod = methodOf(m)
		}
		e.setHoldLocked(p, hold, f.Get("HoldUrl"), holdMethod)
	} else if u := f.Get("HoldUrl"); u != "" {
		p.holdURL = u
	}
	if hasMuted {
		e.setMutedLocked(p, muted)
	}
	if hasEOE {
		e.setEndOnExitLocked(p, eoe)
	}
	if u := f.Get("AnnounceUrl"); u != "" {
		e.announceLocked(p.conf.ctx, p.c, u, methodOf(f.Get("AnnounceMethod")))
	}
	snap := p.snapshot(e)
	e.unlock()
	rest.WriteJSON(w, http.StatusOK, snap)
}

// deleteParticipant kicks the participant: its call goes on after <Dial>.
func (e *Engine) deleteParticipant(w http.ResponseWriter, r *http.Request) {
	e.lock()
	p := e.participantLocked(w, r)
	if p == nil {
		e.unlock()
		return
	}
	e.leaveLocked(p, "participant_updated_via_api", p.c.status, true)
	e.unlock()
	w.WriteHeader(http.StatusNoContent)
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
