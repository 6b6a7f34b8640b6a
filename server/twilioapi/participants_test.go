package twilioapi

import (
	"log/slog"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// Adding a number and changing endConferenceOnExit, against the simulated
// Voice API with every request and answer checked against Twilio's OpenAPI
// document, undocumented parameters refused.
func TestAddParticipantAndEndOnExitAgainstTheContract(t *testing.T) {
	const account = "AC00000000000000000000000000000001"
	// Loading the documents takes seconds under the race detector: before
	// the first request, as the simulator does, not within its deadline.
	if err := contract.Load(); err != nil {
		t.Fatal(err)
	}
	e := voice.New(voice.Config{AccountSid: account, AuthToken: "token", MediaSpeed: 20})
	t.Cleanup(e.Close)
	checker := &contract.ResponseChecker{}
	r := chi.NewRouter()
	r.Use(contract.Options{RejectUnknown: true, Responses: checker}.Middleware)
	r.Route("/api", e.Routes)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		for _, v := range checker.Violations() {
			t.Errorf("contract: %s", v)
		}
	})
	base, _ := url.Parse(srv.URL)
	c, err := New(Options{AccountSid: account, Username: account, Password: "token", BaseURL: base, Attempts: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	agent, err := e.Dial(voice.DialRequest{From: "client:alice", To: "client:alice", Twiml: `<Response><Dial><Conference endConferenceOnExit="true">room</Conference></Dial></Response>`})
	if err != nil {
		t.Fatal(err)
	}
	var conf string
	if !waitfor.Until(5*time.Second, func() bool {
		cf, ok := e.ConferenceOfCall(agent)
		conf = cf.Sid
		return ok
	}) {
		t.Fatal("the agent never joined")
	}

	leg, err := c.AddParticipant(ctx, conf, call.NewParticipant{From: "+15005550006", To: "+15557654321", Label: "external-1",
		StatusCallback: "https://ic.example.com/callbacks/leg?taskSid=WT1&label=external-1", Timeout: 30 * time.Second})
	if err != nil || !call.ValidSID(call.PrefixCall, leg) {
		t.Fatalf("AddParticipant = %q, %v", leg, err)
	}
	var ps []call.Participant
	if !waitfor.Until(5*time.Second, func() bool { ps, _ = c.Participants(ctx, conf); return len(ps) == 2 }) {
		t.Fatalf("participants %+v", ps)
	}
	for _, p := range ps {
		if p.CallSid == leg && (p.Label != "external-1" || p.EndOnExit) || p.CallSid == agent && !p.EndOnExit {
			t.Errorf("participant %+v", p)
		}
	}
	if err := c.SetEndConferenceOnExit(ctx, conf, agent, false); err != nil {
		t.Fatal(err)
	}
	if ps, _ = c.Participants(ctx, conf); len(ps) != 2 || ps[0].EndOnExit || ps[1].EndOnExit {
		t.Errorf("after the update %+v", ps)
	}
	if _, err := c.AddParticipant(ctx, "CF00000000000000000000000000000000", call.NewParticipant{From: "+15005550006", To: "+15557654321"}); !call.Is(err, call.NotFound) {
		t.Errorf("unknown conference: %v", err)
	}
}
