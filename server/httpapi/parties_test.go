package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/twiliosig"
)

// The transfer and participant routes: Flex token first, then the input,
// each refusal naming what is wrong; good input reaches the flow (here
// Twilio answers 503 to everything).
func TestTransferAndParticipantRoutes(t *testing.T) {
	iam := &fakeIAM{tokens: map[string]*call.FlexToken{
		"good": {Valid: true, WorkerSid: "WK0123456789abcdef0123456789abcdef", Expiration: time.Now().Add(time.Hour)},
	}}
	srv, twilio := newTestServer(t, iam, false)
	do := func(token, method, path, payload string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(payload))
		if token != "" {
			req.Header.Set(FlexTokenHeader, token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode, body(resp)
	}
	calls := "/api/calls/" + taskSid
	routes := []struct{ method, path, body string }{
		{"POST", calls + "/transfer", `{"target":"client:carol","mode":"cold"}`},
		{"POST", calls + "/transfer/complete", ""},
		{"POST", calls + "/transfer/cancel", ""},
		{"GET", calls + "/participants", ""},
		{"POST", calls + "/participants", `{"number":"+15557654321"}`},
		{"DELETE", calls + "/participants/external-1", ""},
		{"POST", calls + "/participants/external-1/hold", ""},
		{"POST", calls + "/participants/callee/unhold", ""},
	}
	for _, r := range routes {
		if s, b := do("", r.method, r.path, r.body); s != 401 || !strings.Contains(b, "X-Flex-JWE") {
			t.Errorf("%s %s without a token: %d %s", r.method, r.path, s, b)
		}
		bad := strings.Replace(r.path, taskSid, "WT1", 1)
		if s, b := do("good", r.method, bad, r.body); s != 400 || !strings.Contains(b, "taskSid") {
			t.Errorf("%s %s with a malformed task: %d %s", r.method, bad, s, b)
		}
	}
	if n := twilio.n.Load(); n != 0 {
		t.Errorf("%d Twilio requests for refused input", n)
	}
	for _, c := range []struct{ method, path, body, reason string }{
		{"POST", calls + "/transfer", `{"target":"client:carol"}`, "mode"},
		{"POST", calls + "/transfer", `{"mode":"warm"}`, "target"},
		{"POST", calls + "/transfer", `{"target":"client:carol","mode":"cold","extra":1}`, "extra"},
		{"POST", calls + "/transfer", `not json`, "JSON"},
		{"POST", calls + "/participants", `{"number":""}`, "number"},
		{"POST", calls + "/participants", `{"number":"+1555"} {}`, "after the JSON"},
		{"DELETE", calls + "/participants/bob", "", "label"},
		{"POST", calls + "/participants/transfer-01/hold", "", "label"},
	} {
		if s, b := do("good", c.method, c.path, c.body); s != 400 || !strings.Contains(b, c.reason) {
			t.Errorf("%s %s %s: %d %s, want 400 naming %s", c.method, c.path, c.body, s, b, c.reason)
		}
	}
	if n := twilio.n.Load(); n != 0 {
		t.Errorf("%d Twilio requests for refused input", n)
	}
	// Good input reaches the flow, which asks Twilio (down here); this
	// server allows no external numbers, which the flow says first.
	for _, r := range routes {
		want := 503
		if r.method == "POST" && strings.HasSuffix(r.path, "/participants") {
			want = 403
		}
		if s, b := do("good", r.method, r.path, r.body); s != want {
			t.Errorf("%s %s: %d %s, want the flow's %d", r.method, r.path, s, b, want)
		}
	}
	if twilio.n.Load() == 0 {
		t.Error("no route reached Twilio")
	}
}

func TestLegStatusOfANumberNamesItsLabel(t *testing.T) {
	srv, twilio := newTestServer(t, &fakeIAM{}, false)
	path := "/callbacks/leg?taskSid=" + taskSid + "&label=bob"
	form := url.Values{"CallSid": {callSid}, "CallStatus": {"busy"}}
	resp := signedPost(t, srv, path, form, func(u string) string { return twiliosig.Sign(authToken, u, form) })
	if b := body(resp); resp.StatusCode != 400 || !strings.Contains(b, "label") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if twilio.n.Load() != 0 {
		t.Error("a malformed callback reached Twilio")
	}
}
