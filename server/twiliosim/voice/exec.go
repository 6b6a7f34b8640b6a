package voice

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// flow is how a verb left the document: go on with the next verb, jump to
// another document (Redirect, Dial action, Gather action), or end the call.
type flow struct {
	next    *node
	nextURL string
	end     string // final call status: completed, failed, busy
}

var cont = flow{}

// execute runs act (inline TwiML or a URL to fetch) for c until the TwiML
// ends, returning the status the call ends with. When ctx ends (a call update
// or a hangup) it returns at once and the result is ignored.
func (e *Engine) execute(ctx context.Context, c *call, act action) string {
	if act.join != nil {
		return e.joinByREST(ctx, c, *act.join)
	}
	var doc *node
	docURL := act.url
	if act.twiml != "" {
		d, err := parseTwiML([]byte(act.twiml))
		if err != nil {
			e.fail(c.sid, 12100, "Document parse failure: inline TwiML: %v", err)
			return "failed"
		}
		doc, docURL = d, ""
	} else {
		d, err := e.fetchTwiML(ctx, c, act.url, act.method, nil)
		if err != nil {
			return "failed"
		}
		doc = d
	}
	for doc != nil {
		f := e.runDoc(ctx, c, doc, docURL)
		if ctx.Err() != nil {
			return "completed"
		}
		if f.end != "" {
			return f.end
		}
		doc, docURL = f.next, f.nextURL
	}
	return "completed"
}

// runDoc runs the verbs of one document in order.
func (e *Engine) runDoc(ctx context.Context, c *call, doc *node, docURL string) flow {
	for i := range doc.Children {
		v := &doc.Children[i]
		var f flow
		switch v.verb() {
		case "Say", "Play", "Pause":
			e.playMedia(ctx, c, v, docURL)
		case "Redirect":
			f = e.redirect(ctx, c, v, docURL)
		case "Hangup":
			f = flow{end: "completed"}
		case "Reject":
			f = flow{end: "completed"}
			if v.str("reason", "rejected") == "busy" {
				f.end = "busy"
			}
		case "Dial":
			f = e.dial(ctx, c, v, docURL)
		case "Gather":
			f = e.gather(ctx, c, v, docURL)
		default:
			e.fail(c.sid, 12200, "Schema validation warning: <%s> is not simulated", v.verb())
		}
		if ctx.Err() != nil {
			return flow{end: "completed"}
		}
		if f != cont {
			return f
		}
	}
	return flow{end: "completed"}
}

// playMedia plays Say, Play or Pause for its (scaled) duration.
func (e *Engine) playMedia(ctx context.Context, c *call, v *node, docURL string) {
	loops := v.integer("loop", 1)
	if loops <= 0 {
		loops = -1 // loop="0": until interrupted
	}
	var d time.Duration
	var what string
	switch v.verb() {
	case "Say":
		what, d = "say: "+v.body(), sayDuration(v.body())
	case "Pause":
		loops, what = 1, "pause"
		d = time.Duration(v.integer("length", 1)) * time.Second
	case "Play":
		if v.body() == "" {
			return // digits only
		}
		u := resolve(docURL, v.body())
		n, ok := e.mediaLength(ctx, c.sid, u)
		if !ok {
			return
		}
		what, d = "play: "+u, n
	}
	e.emitMedia(c, what)
	for i := 0; loops < 0 || i < loops; i++ {
		if !e.sleep(ctx, max(d, time.Millisecond)) {
			return
		}
	}
}

func (e *Engine) redirect(ctx context.Context, c *call, v *node, docURL string) flow {
	u := resolve(docURL, v.body())
	doc, err := e.fetchTwiML(ctx, c, u, v.method("method", "POST"), nil)
	if err != nil {
		return flow{end: "failed"}
	}
	return flow{next: doc, nextURL: u}
}

// gather plays its nested media and waits for digits that never come (the
// simulated endpoints press no keys), then goes on as Twilio does.
func (e *Engine) gather(ctx context.Context, c *call, v *node, docURL string) flow {
	for i := range v.Children {
		n := &v.Children[i]
		switch n.verb() {
		case "Say", "Play", "Pause":
			e.playMedia(ctx, c, n, docURL)
		}
	}
	if !e.sleep(ctx, time.Duration(v.integer("timeout", 5))*time.Second) {
		return cont
	}
	if v.boolean("actionOnEmptyResult", false) {
		if a, ok := v.attr("action"); ok {
			return e.fetchAction(ctx, c, resolve(docURL, a), v.method("method", "POST"), url.Values{"Digits": {""}})
		}
	}
	return cont
}

func (e *Engine) fetchAction(ctx context.Context, c *call, u, method string, extra url.Values) flow {
	doc, err := e.fetchTwiML(ctx, c, u, method, extra)
	if err != nil {
		return flow{end: "failed"}
	}
	return flow{next: doc, nextURL: u}
}

// dial runs <Dial>; only the <Conference> noun is simulated. When the
// participant leaves (conference ended, kicked) the call goes on after <Dial>,
// or with Dial's action URL.
func (e *Engine) dial(ctx context.Context, c *call, v *node, docURL string) flow {
	var cn *node
	for i := range v.Children {
		if v.Children[i].verb() == "Conference" {
			cn = &v.Children[i]
		}
	}
	if cn == nil {
		e.fail(c.sid, 12200, "Schema validation warning: <Dial> without <Conference> is not simulated")
		return cont
	}
	s := settingsOf(cn, docURL)
	e.lock()
	if c.final() || ctx.Err() != nil {
		e.unlock()
		return cont
	}
	p := e.joinLocked(c, s)
	e.unlock()
	joined := time.Now()

	e.inConference(ctx, c, p)
	if ctx.Err() != nil {
		return cont
	}
	if a, ok := v.attr("action"); ok && a != "" {
		return e.fetchAction(ctx, c, resolve(docURL, a), v.method("method", "POST"), url.Values{
			"DialCallStatus":   {"completed"},
			"DialCallDuration": {strconv.Itoa(int(time.Since(joined).Seconds()))},
			"ConferenceSid":    {p.conf.sid},
		})
	}
	return cont
}

func settingsOf(cn *node, docURL string) joinSettings {
	s := joinSettings{
		name:       cn.body(),
		label:      cn.str("participantLabel", ""),
		start:      cn.boolean("startConferenceOnEnter", true),
		endOnExit:  cn.boolean("endConferenceOnExit", false),
		muted:      cn.boolean("muted", false),
		beep:       cn.str("beep", "true") != "false",
		waitMethod: cn.method("waitMethod", "POST"),
		cbURL:      resolve(docURL, cn.str("statusCallback", "")),
		cbMethod:   cn.method("statusCallbackMethod", "POST"),
	}
	if w, ok := cn.attr("waitUrl"); ok {
		s.waitURL = resolve(docURL, w)
	} else {
		s.defaultWait = true
	}
	for _, ev := range splitFields(cn.str("statusCallbackEvent", "")) {
		s.cbEvents = append(s.cbEvents, ev)
	}
	return s
}
