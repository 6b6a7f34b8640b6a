package httpapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

// parseRequest builds a request from any raw query and form body, as a
// server would receive them.
func parseRequest(query, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
	r.URL.RawQuery = query
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_ = r.ParseForm()
	return r
}

func FuzzParseConferenceEvent(f *testing.F) {
	f.Add("taskSid="+taskSid, "ConferenceSid="+confSid+"&FriendlyName="+taskSid+"&StatusCallbackEvent=participant-join&CallSid="+callSid+"&SequenceNumber=3")
	f.Add("taskSid="+taskSid, "ConferenceSid="+confSid+"&StatusCallbackEvent=conference-end&ReasonConferenceEnded=x")
	f.Add("taskSid=WT", "SequenceNumber=-1")
	f.Fuzz(func(t *testing.T, query, body string) {
		e, err := parseConferenceEvent(parseRequest(query, body))
		if err != nil {
			return
		}
		// Whatever is accepted is well-formed.
		if !call.ValidSID(call.PrefixTask, e.CallerTaskSid) || !call.ValidSID(call.PrefixConference, e.ConferenceSid) || e.Event == "" || e.FriendlyName == "" || e.SequenceNumber < 0 {
			t.Fatalf("accepted malformed event %+v", e)
		}
		if (e.Event == "participant-join" || e.Event == "participant-leave") && !call.ValidSID(call.PrefixCall, e.CallSid) {
			t.Fatalf("participant event without a call: %+v", e)
		}
	})
}

func FuzzParseLegRequest(f *testing.F) {
	f.Add("taskSid="+taskSid, "CallSid="+callSid+"&To=client%3Aalice")
	f.Add("taskSid="+taskSid, "CallSid="+callSid+"&Called=sip%3Abob%40example.com")
	f.Add("taskSid=", "To=client:")
	f.Fuzz(func(t *testing.T, query, body string) {
		lr, err := parseLegRequest(parseRequest(query, body))
		if err != nil {
			return
		}
		if !call.ValidSID(call.PrefixTask, lr.TaskSid) || !call.ValidSID(call.PrefixCall, lr.CallSid) || !call.ValidContactURI(lr.To) {
			t.Fatalf("accepted malformed leg request %+v", lr)
		}
		if _, err := url.Parse("https://x/?To=" + url.QueryEscape(lr.To)); err != nil {
			t.Fatal(err)
		}
	})
}
