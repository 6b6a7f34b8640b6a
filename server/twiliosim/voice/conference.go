package voice

import (
	"context"
	"slices"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// conference is a named room of one account. A name maps to one conference
// until it completes; joining the name afterwards creates a new one.
type conference struct {
	sid, name, status string
	created, updated  time.Time
	parts             []*participant
	reasonEnded       string
	callEnding        string

	// Callback settings come from the first participant that joins (Twilio
	// ignores later participants' statusCallback and statusCallbackEvent).
	cbURL, cbMethod string
	cbEvents        map[string]bool
	seq             int

	// deferredJoins wait for the start to be reported (WaitingJoin at-start).
	deferredJoins []*participant

	// ctx ends with the conference: announcements stop.
	ctx    context.Context
	cancel context.CancelFunc
}

// participant is a call in a conference.
type participant struct {
	conf *conference
	c    *call

	label                               string
	start, endOnExit, muted, hold, beep bool
	coaching                            bool
	waitURL, waitMethod                 string
	defaultWait                         bool // waitUrl absent: Twilio's default music (silence here)
	holdURL, holdMethod                 string
	created, updated                    time.Time

	left bool
	// wake interrupts the participant's current media (wait or hold music) so
	// its goroutine re-reads the state.
	wake context.CancelFunc
}

// joinSettings are a <Conference> noun's attributes, URLs already absolute.
type joinSettings struct {
	name                          string
	label                         string
	start, endOnExit, muted, beep bool
	waitURL, waitMethod           string
	defaultWait                   bool
	cbURL, cbMethod               string
	cbEvents                      []string
}

func (p *participant) poke() {
	if p.wake != nil {
		p.wake()
	}
}

// joinLocked puts c into the conference named s.name: participant-join, then
// conference-start when this participant starts it.
func (e *Engine) joinLocked(c *call, s joinSettings) *participant {
	cf := e.active[s.name]
	if cf == nil {
		now := time.Now()
		cf = &conference{
			sid:      rest.NewSID("CF"),
			name:     s.name,
			status:   "init",
			created:  now,
			updated:  now,
			cbURL:    s.cbURL,
			cbMethod: s.cbMethod,
			cbEvents: map[string]bool{},
		}
		for _, ev := range s.cbEvents {
			cf.cbEvents[ev] = true
		}
		cf.ctx, cf.cancel = context.WithCancel(e.ctx)
		e.confs[cf.sid] = cf
		e.confList = append(e.confList, cf)
		e.active[s.name] = cf
	}
	now := time.Now()
	p := &participant{
		conf: cf, c: c,
		label: s.label, start: s.start, endOnExit: s.endOnExit, muted: s.muted, beep: s.beep,
		waitURL: s.waitURL, waitMethod: s.waitMethod, defaultWait: s.defaultWait,
		holdMethod: "GET",
		created:    now, updated: now,
	}
	cf.parts = append(cf.parts, p)
	c.part = p
	starts := p.start && cf.status == "init"
	switch mode := e.waitingJoin(); {
	case cf.status != "init" || starts || mode == "":
		if starts {
			for _, d := range cf.deferredJoins {
				if !d.left {
					e.confEventLocked(cf, "participant-join", d, nil)
				}
			}
			cf.deferredJoins = nil
		}
		e.confEventLocked(cf, "participant-join", p, nil)
	case mode == "at-start":
		cf.deferredJoins = append(cf.deferredJoins, p)
	}
	if starts {
		cf.status, cf.updated = "in-progress", now
		e.confEventLocked(cf, "conference-start", nil, nil)
		for _, o := range cf.parts {
			o.poke() // wait music stops
		}
	}
	return p
}

// waitingJoin is when a participant joining before the start is reported.
func (e *Engine) waitingJoin() string {
	if e.cfg.WaitingJoin == nil {
		return ""
	}
	return e.cfg.WaitingJoin()
}

// leaveLocked takes p out of its conference with Twilio's ReasonParticipantLeft
// and ParticipantCallStatus; the conference ends when p had endConferenceOnExit
// or was the last one in.
func (e *Engine) leaveLocked(p *participant, reason, callStatus string, kicked bool) {
	if p.left {
		return
	}
	cf := p.conf
	e.leaveOneLocked(p, reason, callStatus)
	if cf.status == "completed" {
		return
	}
	switch {
	case p.endOnExit && kicked:
		e.endConfLocked(cf, "participant-with-end-conference-on-exit-kicked", p.c.sid, "moderator_ended_conference")
	case p.endOnExit:
		e.endConfLocked(cf, "participant-with-end-conference-on-exit-left", p.c.sid, "moderator_ended_conference")
	case len(cf.parts) == 0 && kicked:
		e.endConfLocked(cf, "last-participant-kicked", p.c.sid, "")
	case len(cf.parts) == 0:
		e.endConfLocked(cf, "last-participant-left", p.c.sid, "")
	}
}

func (e *Engine) leaveOneLocked(p *participant, reason, callStatus string) {
	cf := p.conf
	p.left = true
	p.updated = time.Now()
	cf.parts = slices.DeleteFunc(cf.parts, func(o *participant) bool { return o == p })
	cf.updated = p.updated
	if p.c.part == p {
		p.c.part = nil
	}
	p.poke()
	e.confEventLocked(cf, "participant-leave", p, map[string]string{
		"ParticipantCallStatus": callStatus,
		"ReasonParticipantLeft": reason,
	})
}

// endConfLocked ends cf: the remaining participants leave (their calls go on
// after <Dial>), then conference-end.
func (e *Engine) endConfLocked(cf *conference, reason, callSid, othersReason string) {
	if cf.status == "completed" {
		return
	}
	if othersReason == "" {
		othersReason = "conference_ended_via_api"
	}
	for _, p := range slices.Clone(cf.parts) {
		e.leaveOneLocked(p, othersReason, p.c.status)
	}
	cf.status = "completed"
	cf.updated = time.Now()
	cf.reasonEnded, cf.callEnding = reason, callSid
	if e.active[cf.name] == cf {
		delete(e.active, cf.name)
	}
	cf.cancel()
	extra := map[string]string{"ReasonConferenceEnded": reason, "Reason": endMessage(reason, callSid)}
	if callSid != "" {
		extra["CallSidEndingConference"] = callSid
	}
	e.confEventLocked(cf, "conference-end", nil, extra)
	e.closeStreamLocked(cf.sid)
}

func endMessage(reason, callSid string) string {
	switch reason {
	case "conference-ended-via-api":
		return "Conference ended via API"
	case "participant-with-end-conference-on-exit-left", "participant-with-end-conference-on-exit-kicked":
		return "Participant " + callSid + " with endConferenceOnExit left the conference"
	default:
		return "Last participant left the conference"
	}
}

// setHoldLocked holds or unholds p: a held participant hears holdURL (or
// silence) and is not heard.
func (e *Engine) setHoldLocked(p *participant, hold bool, holdURL, holdMethod string) {
	if holdURL != "" {
		p.holdURL = holdURL
	}
	if holdMethod != "" {
		p.holdMethod = holdMethod
	}
	if p.hold == hold {
		return
	}
	p.hold, p.updated = hold, time.Now()
	ev := "participant-unhold"
	if hold {
		ev = "participant-hold"
	}
	e.confEventLocked(p.conf, ev, p, nil)
	p.poke()
}

func (e *Engine) setMutedLocked(p *participant, muted bool) {
	if p.muted == muted {
		return
	}
	p.muted, p.updated = muted, time.Now()
	ev := "participant-unmute"
	if muted {
		ev = "participant-mute"
	}
	e.confEventLocked(p.conf, ev, p, nil)
}

func (e *Engine) setEndOnExitLocked(p *participant, v bool) {
	if p.endOnExit == v {
		return
	}
	p.endOnExit, p.updated = v, time.Now()
	e.confEventLocked(p.conf, "participant-modify", p, nil)
}

// findParticipantLocked finds a current participant by call SID or label.
func (cf *conference) findParticipantLocked(id string) *participant {
	for _, p := range cf.parts {
		if p.c.sid == id || (p.label != "" && p.label == id) {
			return p
		}
	}
	return nil
}

func (cf *conference) snapshot(e *Engine, withParts bool) Conference {
	uri := "/2010-04-01/Accounts/" + e.cfg.AccountSid + "/Conferences/" + cf.sid
	out := Conference{
		Sid:                     cf.sid,
		AccountSid:              e.cfg.AccountSid,
		FriendlyName:            cf.name,
		Status:                  cf.status,
		Region:                  "us1",
		ApiVersion:              "2010-04-01",
		DateCreated:             rest.Time2010(cf.created),
		DateUpdated:             rest.Time2010(cf.updated),
		ReasonConferenceEnded:   cf.reasonEnded,
		CallSidEndingConference: cf.callEnding,
		Uri:                     uri + ".json",
		SubresourceUris: map[string]string{
			"participants": uri + "/Participants.json",
			"recordings":   uri + "/Recordings.json",
		},
	}
	if withParts {
		out.Participants = []Participant{}
		for _, p := range cf.parts {
			out.Participants = append(out.Participants, p.snapshot(e))
		}
	}
	return out
}

func (p *participant) snapshot(e *Engine) Participant {
	status := "connected"
	if p.left {
		status = "complete"
	}
	return Participant{
		AccountSid:             e.cfg.AccountSid,
		CallSid:                p.c.sid,
		ConferenceSid:          p.conf.sid,
		Label:                  p.label,
		Coaching:               p.coaching,
		EndConferenceOnExit:    p.endOnExit,
		StartConferenceOnEnter: p.start,
		Hold:                   p.hold,
		Muted:                  p.muted,
		Status:                 status,
		QueueTime:              "0",
		DateCreated:            rest.Time2010(p.created),
		DateUpdated:            rest.Time2010(p.updated),
		Uri:                    "/2010-04-01/Accounts/" + e.cfg.AccountSid + "/Conferences/" + p.conf.sid + "/Participants/" + p.c.sid + ".json",
	}
}
