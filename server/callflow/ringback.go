package callflow

import (
	"context"
	"errors"
	"math"
	"net/url"
	"strconv"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/twilio/twilio-go/twiml"
)

// paramSince carries, in the signed wait URL, when the caller started waiting
// (Unix milliseconds).
const paramSince = "since"

// RingbackCycle is the length of the ringback tone file: 2 s tone, 4 s silence.
const RingbackCycle = 6 * time.Second

// acceptGrace is how long ringback goes on past the timeout when the callee
// has accepted but their leg has not joined yet.
const acceptGrace = 20 * time.Second

// RingbackRequest is Twilio's fetch of the conference wait URL for the caller.
type RingbackRequest struct {
	TaskSid string
	CallSid string
	Since   time.Time
}

// Ringback answers the caller's wait URL: ringback until the ring timeout, then
// the call ends as unanswered. Every fetch reads the call's record: a leg
// whose call is over, or that belongs to no call of this server, is ended
// (an empty answer would only make Twilio fetch again). Wait-URL TwiML may
// only Play, Say, Pause and Redirect, so the leg is ended through the REST API.
func (f *Flow) Ringback(ctx context.Context, r RingbackRequest) (string, error) {
	caller, ic, err := f.fetchInternal(ctx, r.TaskSid)
	switch {
	case call.Is(err, call.NotFound), call.Is(err, call.Forbidden), err == nil && ic.Role != call.RoleCaller:
		f.log.Warn("ringback for no call of this server: ending the leg", "task_sid", r.TaskSid, "call_sid", r.CallSid)
		return render(), f.endLeg(ctx, r.CallSid)
	case err != nil:
		return "", err
	case ic.Status.Final() || !caller.Open():
		return render(), f.finishLeg(ctx, r.CallSid, ic.Status)
	}
	settingUp := false
	if ic.CalleeTaskSid == "" && r.CallSid != "" {
		// The wait URL is fetched once the caller waits in the conference: if
		// the caller's participant-join has not been seen (lost, late, or
		// never sent before the conference starts), this is the signal that
		// sets the call up. The claim keeps it exactly once.
		done, err := f.setUpFromRingback(ctx, caller, ic, r.CallSid)
		if err != nil {
			return "", err
		}
		settingUp = !done
	}
	remaining := r.Since.Add(f.s.RingTimeout).Sub(f.now())
	if settingUp && remaining > RingbackCycle {
		// Another attempt is setting the call up: come back after one cycle,
		// so that if it dies this leg's fetches take over once its claim
		// expires, long before the ring timeout.
		remaining = RingbackCycle
	}
	if remaining <= 0 {
		extend, err := f.ringTimedOut(ctx, caller, ic, r, -remaining)
		if err != nil {
			return "", err
		}
		if !extend {
			return render(), nil
		}
		remaining = 2 * time.Second
	}
	var verbs []twiml.Element
	if n := int(remaining / RingbackCycle); n > 0 {
		verbs = append(verbs, &twiml.VoicePlay{Url: f.url(call.PathRingbackTone), Loop: strconv.Itoa(n)})
	}
	if rest := remaining % RingbackCycle; rest > 0 {
		verbs = append(verbs, &twiml.VoicePause{Length: strconv.Itoa(int(math.Ceil(rest.Seconds())))})
	}
	verbs = append(verbs, f.ringbackAgain(r))
	return render(verbs...), nil
}

// setUpFromRingback creates the callee task from a ringback fetch, finding
// the conference by its name when no callback has told its SID yet.
// It reports whether the call is past set-up (see setUpCall).
func (f *Flow) setUpFromRingback(ctx context.Context, caller *call.Task, ic *call.InternalCall, callSid string) (bool, error) {
	if c := ic.Claim; c != nil && f.now().Sub(time.Unix(c.Since, 0)) < f.s.ClaimTTL {
		return false, nil // someone is creating it
	}
	conf := ic.ConferenceSid
	if conf == "" {
		sid, err := f.voice.ConferenceByName(ctx, f.seal.ConferenceName(caller.Sid))
		if err != nil || sid == "" {
			return false, err
		}
		conf = sid
	}
	return f.setUpCall(ctx, caller.Sid, conf, callSid)
}

// finishLeg ends the waiting leg of a call that is over. When the caller is
// to hear why (declined, no answer, failed), the leg is redirected to that
// message — this fetch may be racing the redirect the decline itself sends,
// and whichever lands, the caller hears it; otherwise it is hung up.
func (f *Flow) finishLeg(ctx context.Context, callSid string, status call.Status) error {
	say := map[call.Status]string{call.StatusDeclined: sayDeclined, call.StatusNoAnswer: sayNoAnswer, call.StatusFailed: sayCouldNotRun}[status]
	if say == "" || callSid == "" {
		return f.endLeg(ctx, callSid)
	}
	return ignoreEnded(f.voice.RedirectCall(ctx, callSid, sayAndHangUp(say)))
}

// endLeg hangs up a caller's leg that waits for nothing.
func (f *Flow) endLeg(ctx context.Context, callSid string) error {
	if callSid == "" {
		return nil
	}
	return ignoreEnded(f.voice.EndCall(ctx, callSid))
}

// RingbackRetry is the wait TwiML when a ringback fetch failed: a short pause,
// then ask again, so a passing Twilio API error does not end the call.
func (f *Flow) RingbackRetry(r RingbackRequest) string {
	return render(&twiml.VoicePause{Length: "2"}, f.ringbackAgain(r))
}

func (f *Flow) ringbackAgain(r RingbackRequest) *twiml.VoiceRedirect {
	again := f.url(call.PathRingback) + "?" + url.Values{
		call.ParamTaskSid: {r.TaskSid},
		paramSince:        {strconv.FormatInt(r.Since.UnixMilli(), 10)},
	}.Encode()
	return &twiml.VoiceRedirect{Url: again, Method: "POST"}
}

// ringTimedOut ends an unanswered call. It reports true when the callee has
// accepted but not joined yet: ringback then goes on for a short grace period.
func (f *Flow) ringTimedOut(ctx context.Context, caller *call.Task, ic *call.InternalCall, r RingbackRequest, late time.Duration) (extend bool, err error) {
	// Decide on the record as it is now: this fetch may have begun while the
	// call was still being set up (or set it up itself), and the callee may
	// have been offered, and have answered, since.
	caller, ic, err = f.fetchInternal(ctx, caller.Sid)
	if err != nil {
		return false, err
	}
	switch {
	case ic.Status.Final():
		return false, f.finishLeg(ctx, r.CallSid, ic.Status) // ended meanwhile (declined, canceled)
	case ic.Status == call.StatusConnected:
		return false, nil
	}
	if ic.ConferenceSid != "" {
		// The callee's leg may be in although its join was never seen (the
		// callback lost): Twilio's participant list says so, and the call
		// is connected, not unanswered.
		if err := f.connectIfCalleeIn(ctx, caller.Sid, ic.ConferenceSid); err != nil {
			return false, err
		}
		if _, now, err := f.fetchInternal(ctx, caller.Sid); err != nil || now.Status == call.StatusConnected {
			return false, err
		}
	}
	if ic.CalleeTaskSid != "" {
		accepted, err := f.withdrawOffer(ctx, ic.CalleeTaskSid)
		if err != nil {
			return false, err
		}
		if accepted && late < acceptGrace {
			return true, nil
		}
	}
	f.log.Info("ring timeout", "task_sid", caller.Sid)
	callSid := r.CallSid
	if callSid == "" {
		callSid = ic.CallerCallSid
	}
	// The caller hears the outcome only once it is recorded: told "nobody
	// answered" over a record that did not say so, the leg's leaving would
	// end the conference and its callback record "canceled". On a failure
	// this fetch fails (the edge answers RingbackRetry), and the next one
	// decides again or tells what the record says.
	if err := f.settle(ctx, caller.Sid, call.StatusNoAnswer, "no answer", false); err != nil {
		return false, err
	}
	err = f.finishLeg(ctx, callSid, call.StatusNoAnswer)
	f.recordMissed(ctx, caller.Sid)
	return false, err
}

// withdrawOffer cancels the callee's task unless the callee has accepted it,
// and reports whether they have. The cancel is conditional on the revision
// read (If-Match), so an accept landing in between wins: TaskRouter's own
// state decides between the ring timeout and the callee's answer, and the
// loser sees it (an accept after the cancel finds no offer).
func (f *Flow) withdrawOffer(ctx context.Context, calleeSid string) (accepted bool, err error) {
	for attempt := 0; ; attempt++ {
		t, err := f.tr.FetchTask(ctx, calleeSid)
		switch {
		case call.Is(err, call.NotFound):
			return false, nil // the callee's task is gone: nobody can answer any more
		case err != nil:
			return false, err
		case t.AssignmentStatus == call.TaskAssigned:
			return true, nil
		case t.AssignmentStatus != call.TaskPending && t.AssignmentStatus != call.TaskReserved:
			return false, nil
		}
		_, err = f.tr.UpdateTask(ctx, calleeSid, call.TaskUpdate{AssignmentStatus: call.TaskCanceled, Reason: "no answer", IfMatch: t.ETag})
		switch {
		case err == nil, call.Is(err, call.NotFound):
			return false, nil
		case !call.Is(err, call.Stale) && !call.Is(err, call.Refused):
			return false, err
		case attempt >= maxStaleRetries:
			return false, &call.Error{Code: call.Conflict, Msg: "task " + calleeSid + " keeps changing under us; try again", Err: err}
		}
	}
}

// endUnanswered finishes a call the callee never joined: both tasks get the
// final status, the callee's task is withdrawn, and the caller hears why.
func (f *Flow) endUnanswered(ctx context.Context, callerTaskSid, callerCallSid string, status call.Status, reason, say string) error {
	settled := f.settle(ctx, callerTaskSid, status, reason, false)
	if callerCallSid == "" {
		return settled
	}
	// The caller hears why even when the tasks could not be updated.
	return errors.Join(settled, ignoreEnded(f.voice.RedirectCall(ctx, callerCallSid, sayAndHangUp(say))))
}
