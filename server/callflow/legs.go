package callflow

import (
	"context"
	"net/url"
	"strconv"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/twilio/twilio-go/twiml"
)

// LegRequest is what Twilio tells us when it fetches a leg's TwiML.
type LegRequest struct {
	TaskSid string // from our own URL: the task whose reservation placed the leg
	CallSid string
	To      string // the address Twilio dialled: the agent's contact URI
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
		Name:                   call.ConferenceName(callerTaskSid),
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
func (f *Flow) CallerTwiML(ctx context.Context, r LegRequest) (string, error) {
	t, ic, err := f.fetchInternal(ctx, r.TaskSid)
	if err != nil {
		return "", err
	}
	if ic.Role != call.RoleCaller {
		return "", call.Errorf(call.Invalid, "task %s is not the caller's task", r.TaskSid)
	}
	if r.To != t.Attributes.TargetWorker {
		f.log.Warn("caller leg does not belong to the task's worker", "task_sid", r.TaskSid, "to", r.To)
		return sayAndHangUp(sayNotForYou), nil
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
// conference, found from Twilio's state (never from the request), unless the
// call is already over.
func (f *Flow) CalleeTwiML(ctx context.Context, r LegRequest) (string, error) {
	t, ic, err := f.fetchInternal(ctx, r.TaskSid)
	if err != nil {
		return "", err
	}
	if ic.Role != call.RoleCallee || ic.CallerTaskSid == "" {
		return "", call.Errorf(call.Invalid, "task %s is not a callee's task", r.TaskSid)
	}
	ok, err := f.legBelongsToWorker(ctx, t.Sid, t.Attributes, r.To)
	if err != nil {
		return "", err
	}
	if !ok {
		f.log.Warn("callee leg does not belong to the task's worker", "task_sid", r.TaskSid, "to", r.To)
		return sayAndHangUp(sayNotForYou), nil
	}
	caller, cic, err := f.fetchInternal(ctx, ic.CallerTaskSid)
	if err != nil {
		return "", err
	}
	if cic.Status.Final() || !caller.Open() || cic.ConferenceSid == "" {
		return sayAndHangUp(sayCallEnded), nil
	}
	status, err := f.voice.ConferenceStatus(ctx, cic.ConferenceSid)
	if err != nil {
		return "", err
	}
	if status == call.ConferenceCompleted {
		return sayAndHangUp(sayCallEnded), nil
	}
	return render(f.conferenceVerb(caller.Sid, labelCallee, "")), nil
}

// legBelongsToWorker checks that the dialled address is the callee's: the
// targetWorker of an agent call, or the contact URI of a worker holding a
// live reservation on a queue call's task.
func (f *Flow) legBelongsToWorker(ctx context.Context, taskSid string, a call.Attributes, to string) (bool, error) {
	if a.Kind() == call.TargetAgent {
		return to != "" && to == a.TargetWorker, nil
	}
	res, err := f.tr.TaskReservations(ctx, taskSid, "")
	if err != nil {
		return false, err
	}
	for _, r := range res {
		if r.Status != call.ReservationPending && r.Status != call.ReservationAccepted {
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
