package callflow

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// Helpers for legs_test.go, ringback_test.go, settle_test.go,
// conference_test.go, queues_test.go, resolve_test.go and flow_test.go.

// logMark is a point in the fake's request log to compare against later.
func (s *scenario) logMark() int { return len(s.tw.Log()) }

// opsSince returns the Twilio calls made after mark.
func (s *scenario) opsSince(mark int) []callflowtest.Op { return s.tw.Log()[mark:] }

// expectNoWrites fails when any of ops changed Twilio's state.
func expectNoWrites(t *testing.T, ops []callflowtest.Op) {
	t.Helper()
	if w := callflowtest.WritesIn(ops); len(w) > 0 {
		t.Errorf("unexpected Twilio writes: %v", w)
	}
}

// expectCode fails unless err carries code.
func expectCode(t *testing.T, err error, code call.Code) {
	t.Helper()
	if !call.Is(err, code) {
		t.Errorf("error %v (code %q), want code %q", err, call.CodeOf(err), code)
	}
}

// expectVerbs fails unless the document's top-level verbs are exactly want.
func expectVerbs(t *testing.T, doc twimlDoc, want ...string) {
	t.Helper()
	if got := doc.verbs(); !slices.Equal(got, want) {
		t.Errorf("verbs %v, want %v", got, want)
	}
}

// expectSayHangup fails unless doc is <Say> containing text, then <Hangup>.
func expectSayHangup(t *testing.T, doc string, text string) {
	t.Helper()
	d := parseTwiML(t, doc)
	expectVerbs(t, d, "Say", "Hangup")
	if !strings.Contains(d.say(), text) {
		t.Errorf("Say %q, want it to contain %q", d.say(), text)
	}
}

// child returns the n-th top-level element of a document.
func child(t *testing.T, doc twimlDoc, n int) twimlDoc {
	t.Helper()
	if n >= len(doc.Children) {
		t.Fatalf("no verb #%d in %v", n, doc.verbs())
	}
	return doc.Children[n]
}

// serverURL parses a URL the flow gave Twilio, checks it points at path on
// the public base URL, and returns its query.
func serverURL(t *testing.T, raw, path string) url.Values {
	t.Helper()
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		t.Fatalf("URL %q: %v", raw, err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != baseURL+path {
		t.Errorf("URL %q points at %s, want %s", raw, got, baseURL+path)
	}
	return u.Query()
}

// editIC changes a task's internal_call as the server itself would (sealed):
// a state the call reached earlier, e.g. through another replica.
func (s *scenario) editIC(sid string, change func(ic *call.InternalCall)) {
	s.t.Helper()
	s.serverWrites(sid, func(t *call.Task) { change(t.Attributes.InternalCall) })
}

// eventOf is a conference callback about the call of callerTask.
func (s *scenario) eventOf(event, callerTask, confSid, callSid, label string) ConferenceEvent {
	return ConferenceEvent{CallerTaskSid: callerTask, ConferenceSid: confSid, FriendlyName: s.confName(callerTask),
		Event: event, CallSid: callSid, Label: label}
}

// leaves is Twilio taking a leg out of the conference (its phone hung up,
// or it was redirected away) and calling back participant-leave; with
// endConference the conference ends too (endConferenceOnExit), and
// conference-end follows.
func (s *scenario) leaves(callerTask, conf, callSid, label string, endConference bool) {
	s.t.Helper()
	s.tw.Leave(conf, callSid, endConference)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventParticipantLeft, callerTask, conf, callSid, label)))
	if endConference {
		s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventConferenceEnd, callerTask, conf, "", "")))
	}
}

// newSealer is the sealer of a Flow built outside newScenario.
func newSealer(t *testing.T) *Sealer {
	t.Helper()
	sealer, err := NewSealer("helpers2-signing-key")
	if err != nil {
		t.Fatal(err)
	}
	return sealer
}

// ringbackAt asks for the caller's wait TwiML of a call whose caller began
// waiting at since.
func (s *scenario) ringbackAt(callerTask, callSid string, since time.Time) (twimlDoc, error) {
	s.t.Helper()
	doc, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: callerTask, CallSid: callSid, Since: since})
	if err != nil {
		return twimlDoc{}, err
	}
	return parseTwiML(s.t, doc), nil
}
