package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim/twiliosig"
)

const (
	authToken = "testtoken"
	taskSid   = "WT0123456789abcdef0123456789abcdef"
	callSid   = "CA0123456789abcdef0123456789abcdef"
	confSid   = "CF0123456789abcdef0123456789abcdef"
)

var testSealer, _ = callflow.NewSealer(authToken)

// fakeIAM answers token validations from a table and counts them.
type fakeIAM struct {
	tokens map[string]*call.FlexToken
	calls  atomic.Int32
	down   bool
}

func (f *fakeIAM) ValidateFlexToken(_ context.Context, tok string) (*call.FlexToken, error) {
	f.calls.Add(1)
	if f.down {
		return nil, errors.New("iam unreachable")
	}
	if t, ok := f.tokens[tok]; ok {
		return t, nil
	}
	return &call.FlexToken{Valid: false, Message: "unknown token"}, nil
}

// twilioCalls counts requests that reach the Twilio side: a refused webhook must reach none.
type twilioCalls struct{ n atomic.Int32 }

func newTestServer(t *testing.T, iam *fakeIAM, trustProxy bool) (*httptest.Server, *twilioCalls) {
	t.Helper()
	calls := &twilioCalls{}
	tw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.n.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(tw.Close)
	base, _ := url.Parse(tw.URL)
	client, err := twilioapi.New(twilioapi.Options{AccountSid: "AC0123456789abcdef0123456789abcdef", Username: "AC0123456789abcdef0123456789abcdef", Password: "x", BaseURL: base, Attempts: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	public, _ := url.Parse("https://ic.example.com")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("wasm-bytes"))
	zw.Close()
	h, err := New(Deps{
		Flow:          callflow.New(client.TaskRouter("WS0123456789abcdef0123456789abcdef"), client, nil, callflow.Settings{PublicBaseURL: public.String(), RingTimeout: 30 * time.Second, Sealer: testSealer}, slog.New(slog.DiscardHandler)),
		IAM:           iam,
		AuthToken:     authToken,
		PublicBaseURL: public,
		TrustProxy:    trustProxy,
		FlexOrigins:   []string{"https://flex.twilio.com"},
		Assets: fstest.MapFS{
			"bridge.wasm":    {Data: []byte("wasm-bytes")},
			"bridge.wasm.br": {Data: []byte("brotli-bytes")},
			"bridge.wasm.gz": {Data: gz.Bytes()},
			"wasm_exec.js":   {Data: []byte("// loader")},
		},
		Plugin: []byte("// shim"),
		Ready:  func(context.Context) error { return nil },
		Log:    slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, calls
}

// signedPost posts a form to path, signed for the public URL as Twilio would.
func signedPost(t *testing.T, srv *httptest.Server, path string, form url.Values, sign func(string) string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sign != nil {
		req.Header.Set(twiliosig.Header, sign("https://ic.example.com"+path))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func body(r *http.Response) string { b, _ := io.ReadAll(r.Body); return string(b) }

func TestWebhooksRefuseUnsignedAndForgedRequests(t *testing.T) {
	srv, calls := newTestServer(t, &fakeIAM{}, false)
	form := url.Values{"CallSid": {callSid}, "To": {"client:alice"}}
	paths := []string{"/twiml/caller?taskSid=" + taskSid, "/twiml/callee?taskSid=" + taskSid, "/twiml/ringback?taskSid=" + taskSid + "&since=1", "/callbacks/conference?taskSid=" + taskSid, "/callbacks/leg?taskSid=" + taskSid}
	for _, p := range paths {
		if r := signedPost(t, srv, p, form, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("unsigned %s: %d", p, r.StatusCode)
		}
		forged := func(u string) string { return twiliosig.Sign("not-the-token", u, form) }
		if r := signedPost(t, srv, p, form, forged); r.StatusCode != http.StatusForbidden {
			t.Errorf("forged %s: %d", p, r.StatusCode)
		}
		// Signed for other parameters than those sent: a replay with edits.
		edited := func(u string) string { return twiliosig.Sign(authToken, u, url.Values{"CallSid": {callSid}}) }
		if r := signedPost(t, srv, p, form, edited); r.StatusCode != http.StatusForbidden {
			t.Errorf("edited %s: %d", p, r.StatusCode)
		}
	}
	if calls.n.Load() != 0 {
		t.Fatalf("refused webhooks reached Twilio %d times", calls.n.Load())
	}
}

func TestWebhooksRefuseMalformedInputWithReason(t *testing.T) {
	srv, calls := newTestServer(t, &fakeIAM{}, false)
	cases := []struct {
		path string
		form url.Values
		want string
	}{
		{"/twiml/caller", url.Values{"CallSid": {callSid}, "To": {"client:a"}}, "taskSid is missing"},
		{"/twiml/caller?taskSid=WT123", url.Values{"CallSid": {callSid}, "To": {"client:a"}}, "taskSid must be WT"},
		{"/twiml/callee?taskSid=" + taskSid, url.Values{"CallSid": {"CAshort"}, "To": {"client:a"}}, "CallSid must be CA"},
		{"/twiml/callee?taskSid=" + taskSid, url.Values{"CallSid": {callSid}, "To": {"+15550100"}}, "To must be"},
		{"/twiml/callee?taskSid=" + taskSid + "&callerTaskSid=WT1", url.Values{"CallSid": {callSid}, "To": {"client:a"}}, "callerTaskSid must be WT"},
		{"/twiml/callee?taskSid=" + taskSid + "&conferenceSid=" + taskSid, url.Values{"CallSid": {callSid}, "To": {"client:a"}}, "conferenceSid must be CF"},
		{"/twiml/callee?taskSid=" + taskSid + "&attempt=-1", url.Values{"CallSid": {callSid}, "To": {"client:a"}}, "attempt must be"},
		{"/twiml/ringback?taskSid=" + taskSid, url.Values{"CallSid": {callSid}}, "since"},
		{"/callbacks/conference?taskSid=" + taskSid, url.Values{"ConferenceSid": {confSid}, "FriendlyName": {taskSid}}, "StatusCallbackEvent is missing"},
		{"/callbacks/conference?taskSid=" + taskSid, url.Values{"ConferenceSid": {confSid}, "FriendlyName": {taskSid}, "StatusCallbackEvent": {"participant-join"}}, "CallSid is missing"},
		{"/callbacks/conference?taskSid=" + taskSid, url.Values{"ConferenceSid": {"CF1"}, "StatusCallbackEvent": {"conference-end"}}, "ConferenceSid must be CF"},
		{"/callbacks/conference?taskSid=" + taskSid, url.Values{"ConferenceSid": {confSid}, "FriendlyName": {"WTother"}, "StatusCallbackEvent": {"conference-end"}}, "does not belong"},
		{"/callbacks/leg?taskSid=" + taskSid, url.Values{"CallStatus": {"completed"}}, "CallSid is missing"},
		{"/callbacks/leg?taskSid=" + taskSid, url.Values{"CallSid": {callSid}}, "CallStatus is missing"},
		{"/callbacks/leg", url.Values{"CallSid": {callSid}, "CallStatus": {"completed"}}, "taskSid is missing"},
	}
	for _, c := range cases {
		sign := func(u string) string { return twiliosig.Sign(authToken, u, c.form) }
		r := signedPost(t, srv, c.path, c.form, sign)
		if b := body(r); r.StatusCode != http.StatusBadRequest || !strings.Contains(b, c.want) {
			t.Errorf("%s %v: %d %q, want 400 naming %q", c.path, c.form, r.StatusCode, b, c.want)
		}
	}
	if calls.n.Load() != 0 {
		t.Fatalf("malformed webhooks reached Twilio %d times", calls.n.Load())
	}
}

func TestSignatureUsesForwardedHostOnlyWhenTrusted(t *testing.T) {
	form := url.Values{"CallSid": {callSid}}
	for _, trust := range []bool{false, true} {
		srv, _ := newTestServer(t, &fakeIAM{}, trust)
		p := "/twiml/ringback?taskSid=" + taskSid + "&since=1"
		req, _ := http.NewRequest(http.MethodPost, srv.URL+p, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-Host", "proxy.example.net")
		req.Header.Set(twiliosig.Header, twiliosig.Sign(authToken, "https://proxy.example.net"+p, form))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if accepted := resp.StatusCode != http.StatusForbidden; accepted != trust {
			t.Errorf("TRUST_PROXY=%v: status %d", trust, resp.StatusCode)
		}
	}
}

func TestAPIRequiresAValidFlexToken(t *testing.T) {
	iam := &fakeIAM{tokens: map[string]*call.FlexToken{
		"good":      {Valid: true, WorkerSid: "WK0123456789abcdef0123456789abcdef", Expiration: time.Now().Add(time.Hour)},
		"no-worker": {Valid: true},
	}}
	srv, _ := newTestServer(t, iam, false)
	do := func(token, path string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, nil)
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
	hangup := "/api/calls/" + taskSid + "/hangup"
	if s, b := do("", hangup); s != 401 || !strings.Contains(b, "X-Flex-JWE") {
		t.Errorf("no token: %d %s", s, b)
	}
	if s, _ := do("forged", hangup); s != 401 {
		t.Errorf("unknown token: %d", s)
	}
	if s, _ := do("no-worker", hangup); s != 401 {
		t.Errorf("token without worker: %d", s)
	}
	if s, b := do("good", "/api/calls/WT1/hangup"); s != 400 || !strings.Contains(b, "taskSid") {
		t.Errorf("malformed task SID: %d %s", s, b)
	}
	if s, _ := do("good", "/api/calls/"+taskSid+"/explode"); s != 404 {
		t.Errorf("unknown action: %d", s)
	}
	before := iam.calls.Load()
	do("good", hangup)
	do("good", hangup)
	if iam.calls.Load() != before {
		t.Errorf("valid token re-validated: %d IAM calls", iam.calls.Load()-before)
	}
	iam.down = true
	if s, b := do("other", hangup); s != 503 || !strings.Contains(b, "could not verify") {
		t.Errorf("IAM down: %d %s", s, b)
	}
}

func TestStaticAssetsArePrecompressedTypedAndCORS(t *testing.T) {
	srv, _ := newTestServer(t, &fakeIAM{}, false)
	get := func(path, enc, origin, etag string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", enc)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	br := get("/web/bridge.wasm", "gzip, deflate, br", "https://flex.twilio.com", "")
	if br.Header.Get("Content-Encoding") != "br" || br.Header.Get("Content-Type") != "application/wasm" || body(br) != "brotli-bytes" {
		t.Errorf("brotli variant: %v", br.Header)
	}
	if br.Header.Get("Access-Control-Allow-Origin") != "https://flex.twilio.com" || !strings.Contains(br.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("CORS/Vary headers: %v", br.Header)
	}
	gz := get("/web/bridge.wasm", "gzip", "", "")
	if gz.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip variant: %v", gz.Header)
	}
	plain := get("/web/bridge.wasm", "", "https://evil.example", "")
	if plain.Header.Get("Content-Encoding") != "" || body(plain) != "wasm-bytes" || plain.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("identity variant for a foreign origin: %v", plain.Header)
	}
	if r := get("/web/bridge.wasm", "br", "", br.Header.Get("ETag")); r.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d", r.StatusCode)
	}
	if r := get("/web/missing.wasm", "br", "", ""); r.StatusCode != 404 {
		t.Errorf("missing asset: %d", r.StatusCode)
	}
	js := get("/plugin/internal-call.js", "", "https://flex.twilio.com", "")
	if !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") || js.Header.Get("Access-Control-Allow-Origin") != "https://flex.twilio.com" {
		t.Errorf("plugin: %v", js.Header)
	}
	tone := get("/media/ringback.wav", "", "", "")
	if tone.Header.Get("Content-Type") != "audio/wav" || !strings.HasPrefix(body(tone), "RIFF") {
		t.Errorf("ringback tone: %v", tone.Header)
	}
}

// Flex's origin may call the API from the browser: each method the API
// serves passes the CORS preflight with the Flex token header.
func TestPreflightForTheAPI(t *testing.T) {
	srv, _ := newTestServer(t, &fakeIAM{}, false)
	for _, c := range []struct{ method, path string }{
		{http.MethodPost, "/api/calls/" + taskSid + "/hold"},
		{http.MethodDelete, "/api/calls/" + taskSid + "/participants/external-1"},
	} {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+c.path, nil)
		req.Header.Set("Origin", "https://flex.twilio.com")
		req.Header.Set("Access-Control-Request-Method", c.method)
		req.Header.Set("Access-Control-Request-Headers", "x-flex-jwe")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Access-Control-Allow-Origin") != "https://flex.twilio.com" ||
			!strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "x-flex-jwe") ||
			!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), c.method) {
			t.Errorf("preflight for %s %s: %d %v", c.method, c.path, resp.StatusCode, resp.Header)
		}
	}
}

func TestHealth(t *testing.T) {
	srv, _ := newTestServer(t, &fakeIAM{}, false)
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}
