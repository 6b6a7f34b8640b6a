package voice

import (
	"context"
	"time"
)

// inConference is a call's life inside a conference: wait music while the
// conference has not started, hold music while held, silence (talking)
// otherwise. It returns when the participant left or ctx ended.
func (e *Engine) inConference(ctx context.Context, c *call, p *participant) {
	for {
		e.lock()
		if p.left {
			e.unlock()
			return
		}
		if ctx.Err() != nil {
			// Ended without a state change that took it out (engine closing).
			e.leaveLocked(p, "participant_hung_up", "completed", false)
			e.unlock()
			return
		}
		sub, cancel := context.WithCancel(ctx)
		p.wake = cancel
		what, u, method := "conference", "", ""
		switch {
		case p.hold:
			what, u, method = "hold", p.holdURL, p.holdMethod
		case p.conf.status == "init" && p.defaultWait:
			what = "wait: default music"
		case p.conf.status == "init":
			what, u, method = "wait", p.waitURL, p.waitMethod
		}
		e.unlock()

		e.emitMedia(c, what)
		if u != "" {
			e.playRestricted(sub, c, u, method, true)
		}
		<-sub.Done()
		cancel()
	}
}

// playRestricted plays the TwiML (or audio file) at u for a conference wait,
// hold or announcement: only Say, Play, Pause and Redirect may run there; any
// other verb is Twilio error 13238 and the music stops. With loop the document
// is fetched again when it ends, as wait and hold music repeat.
func (e *Engine) playRestricted(ctx context.Context, c *call, u, method string, loop bool) {
	docURL, m := u, method
	for ctx.Err() == nil {
		began := time.Now()
		doc, err := e.fetch(ctx, c, docURL, m, nil, true)
		if err != nil {
			return
		}
		next, nextMethod, stop := e.runRestricted(ctx, c, doc, docURL)
		if stop || ctx.Err() != nil {
			return
		}
		if next != "" {
			docURL, m = next, nextMethod
			continue
		}
		if !loop {
			return
		}
		docURL, m = u, method
		if time.Since(began) < time.Duration(float64(100*time.Millisecond)/e.speed) {
			// A document with nothing to play: do not refetch in a tight loop.
			if !e.sleep(ctx, time.Second) {
				return
			}
		}
	}
}

// runRestricted runs a wait/hold/announce document; it returns a Redirect
// target, or stop when the music must stop.
func (e *Engine) runRestricted(ctx context.Context, c *call, doc *node, docURL string) (next, method string, stop bool) {
	for i := range doc.Children {
		v := &doc.Children[i]
		switch v.verb() {
		case "Say", "Play", "Pause":
			e.playMedia(ctx, c, v, docURL)
		case "Redirect":
			return resolve(docURL, v.body()), v.method("method", "POST"), false
		default:
			e.fail(c.sid, 13238, "Invalid verb <%s> for a conference waitUrl, holdUrl or announceUrl: only Say, Play, Pause and Redirect are allowed", v.verb())
			return "", "", true
		}
		if ctx.Err() != nil {
			return "", "", true
		}
	}
	return "", "", false
}
