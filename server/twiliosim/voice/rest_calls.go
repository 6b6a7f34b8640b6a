package voice

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

func (e *Engine) listCalls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var out []Call
	for _, c := range newestFirst(e.Calls()) {
		if (q.Get("To") != "" && c.To != q.Get("To")) ||
			(q.Get("From") != "" && c.From != q.Get("From")) ||
			(q.Get("Status") != "" && c.Status != q.Get("Status")) ||
			(q.Get("ParentCallSid") != "" && c.ParentCallSid != q.Get("ParentCallSid")) {
			continue
		}
		out = append(out, c)
	}
	rest.Page2010(w, r, e.base()+"/Calls.json", "calls", out)
}

func (e *Engine) createCall(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	req := DialRequest{
		From:                 f.Get("From"),
		To:                   f.Get("To"),
		URL:                  f.Get("Url"),
		Method:               methodOf(f.Get("Method")),
		Twiml:                f.Get("Twiml"),
		StatusCallback:       f.Get("StatusCallback"),
		StatusCallbackMethod: methodOf(f.Get("StatusCallbackMethod")),
		StatusCallbackEvents: formList(r, "StatusCallbackEvent"),
	}
	if t := f.Get("Timeout"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > 600 {
			rest.WriteError(w, rest.BadRequest(21216, "Timeout must be an integer between 1 and 600"))
			return
		}
		req.Timeout = time.Duration(n) * time.Second
	}
	sid, err := e.Dial(req)
	if err != nil {
		if re, ok := err.(*rest.Error); ok {
			rest.WriteError(w, re)
		} else {
			rest.WriteError(w, rest.Errorf(http.StatusInternalServerError, 20500, "%v", err))
		}
		return
	}
	e.writeCall(w, http.StatusCreated, sid)
}

func (e *Engine) fetchCall(w http.ResponseWriter, r *http.Request) {
	e.writeCall(w, http.StatusOK, chi.URLParam(r, "Sid"))
}

func (e *Engine) writeCall(w http.ResponseWriter, status int, sid string) {
	e.lock()
	c, ok := e.calls[sid]
	var snap Call
	if ok {
		snap = c.snapshot(e)
	}
	e.unlock()
	if !ok {
		rest.WriteError(w, rest.NotFound(e.base()+"/Calls/"+sid+".json"))
		return
	}
	rest.WriteJSON(w, status, snap)
}

// updateCall: Status ends the call; Twiml or Url replace what it runs now
// (leaving its conference first).
func (e *Engine) updateCall(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	sid := chi.URLParam(r, "Sid")
	f := r.PostForm
	e.lock()
	c, ok := e.calls[sid]
	if !ok {
		e.unlock()
		rest.WriteError(w, rest.NotFound(e.base()+"/Calls/"+sid+".json"))
		return
	}
	var rerr *rest.Error
	switch status := f.Get("Status"); {
	case status == "canceled":
		// Only a call not yet answered can be canceled; otherwise nothing happens.
		if c.status == "queued" || c.status == "ringing" {
			e.endLocked(c, "canceled", "participant_updated_via_api")
		}
	case status == "completed":
		switch c.status {
		case "queued", "ringing":
			e.endLocked(c, "canceled", "participant_updated_via_api")
		case "in-progress":
			e.endLocked(c, "completed", "participant_updated_via_api")
		}
	case status != "":
		rerr = rest.BadRequest(21218, "Invalid Status %q: use completed or canceled", status)
	case f.Get("Twiml") != "":
		if _, err := parseTwiML([]byte(f.Get("Twiml"))); err != nil {
			rerr = rest.BadRequest(21220, "Invalid TwiML: %v", err)
		} else if err := e.redirectLocked(c, action{twiml: f.Get("Twiml")}); err != nil {
			rerr = err.(*rest.Error)
		}
	case f.Get("Url") != "":
		if err := e.redirectLocked(c, action{url: f.Get("Url"), method: methodOf(f.Get("Method"))}); err != nil {
			rerr = err.(*rest.Error)
		}
	}
	if cb := f.Get("StatusCallback"); cb != "" && rerr == nil {
		c.req.StatusCallback = cb
		c.req.StatusCallbackMethod = methodOf(f.Get("StatusCallbackMethod"))
	}
	snap := c.snapshot(e)
	e.unlock()
	if rerr != nil {
		rest.WriteError(w, rerr)
		return
	}
	rest.WriteJSON(w, http.StatusOK, snap)
}
