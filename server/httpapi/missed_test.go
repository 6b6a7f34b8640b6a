package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// The missed-call API acts on the list of the worker the Flex token names,
// never on one the request names.
func TestMissedCallsAPIActsOnTheTokensWorkerOnly(t *testing.T) {
	tw := callflowtest.New()
	bob, alice := tw.AddWorker("client:bob"), tw.AddWorker("client:alice")
	ctx := context.Background()
	entry := call.MissedCall{ID: taskSid, From: "client:alice", FromName: "Alice Andrews", FromWorkerSid: alice, At: 1700000000}
	b, _ := json.Marshal([]call.MissedCall{entry})
	if _, err := tw.UpdateWorkerAttributes(ctx, bob, `{"missed_calls":`+string(b)+`}`, ""); err != nil {
		t.Fatal(err)
	}
	iam := &fakeIAM{tokens: map[string]*call.FlexToken{
		"bob":   {Valid: true, WorkerSid: bob, Expiration: time.Now().Add(time.Hour)},
		"alice": {Valid: true, WorkerSid: alice, Expiration: time.Now().Add(time.Hour)},
	}}
	public, _ := url.Parse("https://ic.example.com")
	h, err := New(Deps{
		Flow:          callflow.New(tw, tw, nil, callflow.Settings{PublicBaseURL: public.String(), RingTimeout: 30 * time.Second, Sealer: testSealer}, slog.New(slog.DiscardHandler)),
		IAM:           iam,
		AuthToken:     authToken,
		PublicBaseURL: public,
		FlexOrigins:   []string{"https://flex.twilio.com"},
		Assets:        fstest.MapFS{"bridge.wasm": {Data: []byte("x")}},
		Ready:         func(context.Context) error { return nil },
		Log:           slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	do := func(method, token, path string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header.Set(FlexTokenHeader, token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode, body(resp)
	}
	list := func(token string) []call.MissedCall {
		s, b := do(http.MethodGet, token, call.PathAPIMissedCalls)
		var got call.APIMissedCalls
		if err := json.Unmarshal([]byte(b), &got); s != 200 || err != nil || got.MissedCalls == nil {
			t.Fatalf("GET: %d %s", s, b)
		}
		return got.MissedCalls
	}
	if got := list("bob"); len(got) != 1 || got[0] != entry {
		t.Fatalf("Bob's missed calls: %+v", got)
	}
	if got := list("alice"); len(got) != 0 {
		t.Fatalf("Alice sees %+v", got)
	}
	if s, _ := do(http.MethodGet, "", call.PathAPIMissedCalls); s != 401 {
		t.Errorf("no token: %d", s)
	}
	if s, b := do(http.MethodDelete, "bob", call.PathAPIMissedCalls+"/nope"); s != 400 {
		t.Errorf("malformed id: %d %s", s, b)
	}
	// Alice dismissing Bob's entry changes nothing of Bob's.
	if s, b := do(http.MethodDelete, "alice", call.PathAPIMissedCalls+"/"+taskSid); s != 200 {
		t.Errorf("DELETE as Alice: %d %s", s, b)
	}
	if got := list("bob"); len(got) != 1 {
		t.Fatalf("Alice removed Bob's missed call: %+v", got)
	}
	if s, b := do(http.MethodDelete, "bob", call.PathAPIMissedCalls+"/"+taskSid); s != 200 {
		t.Errorf("DELETE: %d %s", s, b)
	}
	if got := list("bob"); len(got) != 0 {
		t.Errorf("after DELETE: %+v", got)
	}
	// The browser may send DELETE across origins.
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+call.PathAPIMissedCalls+"/"+taskSid, nil)
	req.Header.Set("Origin", "https://flex.twilio.com")
	req.Header.Set("Access-Control-Request-Method", "DELETE")
	req.Header.Set("Access-Control-Request-Headers", "x-flex-jwe")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://flex.twilio.com" {
		t.Errorf("DELETE preflight refused: %d %v", resp.StatusCode, resp.Header)
	}
}
