package httpapi

import (
	"bytes"
	"context"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim/twiliosig"
)

// Twilio gives up on a webhook after 15 s (error 11200). Even when Twilio's
// REST API does not answer at all, every webhook must answer before that,
// with the TwiML that tells the agent why.
func TestWebhooksAnswerBeforeTwilioGivesUpWhenTwilioHangs(t *testing.T) {
	if webhookDeadline+2*time.Second > 12*time.Second {
		t.Fatalf("the webhook deadline %v leaves no room under Twilio's 15 s", webhookDeadline)
	}
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // Twilio's REST API never answers
	}))
	t.Cleanup(hang.Close)
	base, _ := url.Parse(hang.URL)
	client, err := twilioapi.New(twilioapi.Options{AccountSid: "AC0123456789abcdef0123456789abcdef", Username: "AC0123456789abcdef0123456789abcdef",
		Password: "x", BaseURL: base, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	public, _ := url.Parse("https://ic.example.com")
	const deadline = 400 * time.Millisecond
	h, err := New(Deps{
		Flow: callflow.New(client.TaskRouter("WS0123456789abcdef0123456789abcdef"), client, nil,
			callflow.Settings{PublicBaseURL: public.String(), RingTimeout: 30 * time.Second, Sealer: testSealer}, nil),
		IAM: &fakeIAM{}, AuthToken: authToken, PublicBaseURL: public, Assets: fstest.MapFS{},
		Ready: func(context.Context) error { return nil }, Log: slog.New(slog.DiscardHandler),
		WebhookDeadline: deadline,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	form := url.Values{"CallSid": {callSid}, "To": {"client:alice"}}
	sign := func(u string) string { return twiliosig.Sign(authToken, u, form) }
	for _, path := range []string{"/twiml/caller?taskSid=" + taskSid, "/twiml/callee?taskSid=" + taskSid, "/twiml/ringback?taskSid=" + taskSid + "&since=1"} {
		start := time.Now()
		r := signedPost(t, srv, path, form, sign)
		took := time.Since(start)
		b := body(r)
		if took > deadline+2*time.Second {
			t.Errorf("%s answered after %v with a %v deadline", path, took, deadline)
		}
		var doc struct {
			XMLName xml.Name
			Inner   []byte `xml:",innerxml"`
		}
		if r.StatusCode != 200 || xml.Unmarshal([]byte(b), &doc) != nil || doc.XMLName.Local != "Response" || len(bytes.TrimSpace(doc.Inner)) == 0 {
			t.Errorf("%s: %d %q, want fallback TwiML", path, r.StatusCode, b)
		}
	}
}

func TestEveryAnswerForbidsSniffingAndHTTPSAddsHSTS(t *testing.T) {
	srv, _ := newTestServer(t, &fakeIAM{}, false)
	for _, p := range []string{"/plugin/internal-call.js", "/web/bridge.wasm", "/healthz", "/media/ringback.wav"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
		if !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("%s: no HSTS though PUBLIC_BASE_URL is https", p)
		}
	}
}

func TestHeadIsServedWhereGetIs(t *testing.T) {
	srv, _ := newTestServer(t, &fakeIAM{}, false)
	for _, p := range []string{"/plugin/internal-call.js", "/media/ringback.wav", "/healthz", "/web/wasm_exec.js"} {
		resp, err := http.Head(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %d", p, resp.StatusCode)
		}
	}
}

func TestAcceptEncodingWeights(t *testing.T) {
	have := map[string]variant{"": {}, "br": {}, "gzip": {}}
	cases := map[string]string{
		"br, gzip":            "br",
		"gzip, br;q=0":        "gzip",
		"br;q=0.0, gzip":      "gzip",
		"*, br;q=0":           "gzip",
		"*;q=0.5":             "br",
		"br;q=0, gzip;q=0, *": "",
		"identity":            "",
		"":                    "",
		"BR;Q=0.8":            "br",
		"gzip;q=bogus":        "",
	}
	for accept, want := range cases {
		if got := pickEncoding(accept, have); got != want {
			t.Errorf("Accept-Encoding %q: %q, want %q", accept, got, want)
		}
	}
}
