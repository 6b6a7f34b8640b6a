package callflow

import (
	"context"
	"net/url"
	"slices"
	"strconv"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/twilio/twilio-go/twiml"
)

// LegRequest is what Twilio tells us when it fetches a leg's TwiML.
type LegRequest struct {
	TaskSid string // from our own URL: the task whose reservation placed the leg
	CallSid string
	To      string // the address Twilio dialled: the agent's contact URI
	// Hints from the callee's URL (the browser's word): the caller's task and
	// the conference its task names. Read at once beside the callee's task;
	// used only where its sealed record names the same.
	CallerTaskHint, ConferenceHint string
	// Attempt counts the leg's earlier fetches answered "ask again".
	Attempt int
}

// maxLegAttempts bounds a leg's "ask again": past it (some 30 s and more),
// the leg hears why it ends.
const maxLegAttempts = 20

// passing reports whether err is a Twilio failure worth asking again about
// (unavailable or throttled, after the client's own retries).
func passing(err error) bool {
	return call.Is(err, call.Unavailable) || call.Is(err, call.Throttled)
}

// Participant labels: conference callbacks name the leg they are about.
const (
	labelCaller = "caller"
	labelCallee = "callee"
)

// statusCallbackEvents are the conference events the server acts on.
const statusCallbackEvents = "start end join leave"

// conferenceVerb is the <Dial><Conference> both legs share; only the caller
// waits (with ringback) and only the callee starts the conference.
func (f *Flow) conferenceVerb(callerTaskSid, label string, waitURL string) *twiml.VoiceDial {
	cb := f.url(call.PathConferenceCallback) + "?" + url.Values{call.ParamTaskSid: {callerTaskSid}}.Encode()
	conf := &twiml.VoiceConference{
		Name:                   f.seal.ConferenceName(callerTaskSid),
		Beep:                   "false",
		StartConferenceOnEnter: boolAttr(label == labelCallee),
		EndConferenceOnExit:    "true",
		StatusCallback:         cb,
		StatusCallbackMethod:   "POST",
		StatusCallbackEvent:    statusCallbackEvents,
		ParticipantLabel:       label,
	}
	if waitURL != "" {
		conf.WaitUrl = waitURL
		conf.WaitMethod = "POST"
	}
	return &twiml.VoiceDial{InnerElements: []twiml.Element{conf}}
}

// CallerTwiML answers Twilio's fetch for the caller's leg: into the call's
// conference, hearing ringback until the callee joins.
//
// A Twilio failure does not hang up an agent who has just answered their
// phone (their task would stay open with nothing left to close it): the leg
// asks again in a moment, a bounded number of times.
func (f *Flow) CallerTwiML(ctx context.Context, r LegRequest) (string, error) {
	doc, err := f.callerTwiML(ctx, r)
	if err != nil && r.Attempt < maxLegAttempts && passing(err) {
		f.log.Warn("caller TwiML: Twilio failed; the leg asks again", "task_sid", r.TaskSid, "attempt", r.Attempt, "error", err)
		return f.legRetry(call.CallerTwiMLURL(f.s.PublicBaseURL, r.TaskSid), r), nil
	}
	return doc, err
}

func (f *Flow) callerTwiML(ctx context.Context, r LegRequest) (string, error) {
	notForYou := func(why string) (string, error) { return f.refuseLeg("caller", r, why) }
	// The task and its reservations, read at once.
	pre := f.prefetchWith(ctx, "", "", r.TaskSid)
	defer pre.wait()
	t, ic, err := f.fetchInternal(ctx, r.TaskSid)
	switch {
	case call.Is(err, call.Forbidden):
		return notForYou(err.Error())
	case err != nil:
		return "", err
	case ic.Role != call.RoleCaller:
		return notForYou("not a caller's task")
	case r.To != t.Attributes.TargetWorker:
		return notForYou("the leg was not dialled to the task's worker")
	}
	// targetWorker is the browser's word: the leg must also go to the worker
	// the task is reserved for, as TaskRouter's reservations say.
	ok, err := f.dialledToHolder(ctx, pre, t.Sid, r.To)
	if err != nil {
		return "", err
	}
	if !ok {
		return notForYou("the leg was not dialled to the worker the task is reserved for")
	}
	if ic.Status.Final() || !t.Open() {
		return sayAndHangUp(sayCallEnded), nil
	}
	wait := f.url(call.PathRingback) + "?" + url.Values{
		call.ParamTaskSid: {r.TaskSid},
		paramSince:        {strconv.FormatInt(f.now().UnixMilli(), 10)},
	}.Encode()
	return render(f.conferenceVerb(r.TaskSid, labelCaller, wait)), nil
}

// CalleeTwiML answers Twilio's fetch for the callee's leg: into the caller's
// conference, found from the caller's sealed record (never from the request
// or from what the callee's task claims), unless the call is already over.
// A leg the server cannot tie to the call hears that it is not for this phone,
// and nothing changes.
//
// A Twilio failure does not hang up the leg of an agent who has just
// answered: the leg asks again in a moment, a bounded number of times.
func (f *Flow) CalleeTwiML(ctx context.Context, r LegRequest) (string, error) {
	doc, err := f.calleeTwiML(ctx, r)
	if err != nil && r.Attempt < maxLegAttempts && passing(err) {
		f.log.Warn("callee TwiML: Twilio failed; the leg asks again", "task_sid", r.TaskSid, "attempt", r.Attempt, "error", err)
		return f.calleeRetry(r), nil
	}
	return doc, err
}

func (f *Flow) calleeTwiML(ctx context.Context, r LegRequest) (string, error) {
	notForYou := func(why string) (string, error) { return f.refuseLeg("callee", r, why) }
	// The callee's task, its caller's task and the conference, read at once
	// when the URL hints at the latter two: one round trip to Twilio on the
	// callee's answer, instead of three one after the other.
	pre := f.prefetch(ctx, r.CallerTaskHint, r.ConferenceHint)
	defer pre.wait()
	t, err := f.fetchTask(ctx, r.TaskSid)
	t, ic, err := f.trust(ctx, t, err, pre)
	switch {
	case call.Is(err, call.Forbidden):
		return notForYou(err.Error())
	case call.Is(err, call.Conflict) && r.Attempt < maxLegAttempts:
		// The callee task exists but the caller's record does not name it
		// yet: ask again in a moment.
		return f.calleeRetry(r), nil
	case err != nil:
		return "", err
	case ic.Role == call.RoleTarget:
		return f.targetTwiML(ctx, r, t, pre)
	case ic.Role != call.RoleCallee:
		return notForYou("not a callee's task")
	}
	caller, cic, err := f.callerOfFetched(ctx, t, ic, pre)
	if call.Is(err, call.Forbidden) {
		return notForYou(err.Error())
	}
	if err != nil {
		return "", err
	}
	ok, err := f.legBelongsToWorker(ctx, pre, t.Sid, caller.Attributes, r.To)
	if err != nil {
		return "", err
	}
	if !ok {
		return notForYou("the leg was not dialled to the callee")
	}
	if cic.Status.Final() || !caller.Open() || cic.ConferenceSid == "" {
		return sayAndHangUp(sayCallEnded), nil
	}
	status, err := pre.conferenceStatus(ctx, f, cic.ConferenceSid)
	if err != nil {
		return "", err
	}
	if status == call.ConferenceCompleted {
		return sayAndHangUp(sayCallEnded), nil
	}
	return render(f.conferenceVerb(caller.Sid, labelCallee, "")), nil
}

// refuseLeg is the TwiML of a leg the server cannot tie to the call: it hears
// why it ends, and nothing changes.
func (f *Flow) refuseLeg(side string, r LegRequest, why string) (string, error) {
	f.log.Warn(side+" leg refused", "task_sid", r.TaskSid, "to", r.To, "why", why)
	return sayAndHangUp(sayNotForYou), nil
}

// calleeRetry is the callee leg's TwiML while the call is still being set
// up, or Twilio failed for a moment: a one-second pause, then the same fetch
// again, its attempt counted.
func (f *Flow) calleeRetry(r LegRequest) string {
	return f.legRetry(call.CalleeTwiMLURL(f.s.PublicBaseURL, r.TaskSid, r.CallerTaskHint, r.ConferenceHint), r)
}

// legRetry is a leg's "ask again": a one-second pause, then the fetch of
// legURL again with the attempt counted.
func (f *Flow) legRetry(legURL string, r LegRequest) string {
	again := legURL + "&" + call.ParamAttempt + "=" + strconv.Itoa(r.Attempt+1)
	return render(&twiml.VoicePause{Length: "1"}, &twiml.VoiceRedirect{Url: again, Method: "POST"})
}

// dialledToHolder reports whether to is the contact URI of the worker the
// task is reserved for. (With reservation.call's accept option, TaskRouter
// may accept the reservation only as the leg answers: pending counts too.)
func (f *Flow) dialledToHolder(ctx context.Context, pre *prefetched, taskSid, to string) (bool, error) {
	return f.reservedTo(ctx, pre, taskSid, to, call.ReservationPending, call.ReservationAccepted)
}

// reservedTo reports whether to is the contact URI of a worker whose
// reservation on the task has one of the statuses.
func (f *Flow) reservedTo(ctx context.Context, pre *prefetched, taskSid, to string, statuses ...string) (bool, error) {
	res, err := pre.reservations(ctx, f, taskSid)
	if err != nil {
		return false, err
	}
	for _, r := range res {
		if !slices.Contains(statuses, r.Status) {
			continue
		}
		uri, err := f.tr.WorkerContactURI(ctx, r.WorkerSid)
		if err != nil {
			return false, err
		}
		if uri == to {
			return true, nil
		}
	}
	return false, nil
}

// legBelongsToWorker checks that the dialled address is the callee's: for an
// agent call the address the caller's sealed record was placed to, for a
// queue call the contact URI of a worker holding a live reservation on the
// callee's task (TaskRouter's state).
func (f *Flow) legBelongsToWorker(ctx context.Context, pre *prefetched, calleeTaskSid string, caller call.Attributes, to string) (bool, error) {
	if caller.InternalCall.Target == call.TargetAgent {
		return to != "" && to == caller.To, nil
	}
	return f.reservedTo(ctx, pre, calleeTaskSid, to, call.ReservationPending, call.ReservationAccepted)
}
