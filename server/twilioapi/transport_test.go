package twilioapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/backoff"
)

// stub is a minimal stand-in answering with a fixed sequence of statuses, so
// these tests pin the transport's retry rules; the call flows run against the
// full simulator elsewhere.
func stub(t *testing.T, statuses ...int) (*Client, *atomic.Int32, *[]string) {
	t.Helper()
	var n atomic.Int32
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		body, _ := io.ReadAll(r.Body)
		paths = append(paths, r.Method+" "+r.URL.Path+" "+string(body))
		status := statuses[min(i, len(statuses)-1)]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status >= 400 {
			json.NewEncoder(w).Encode(map[string]any{"code": 20500 + status%100, "message": "injected", "status": status})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"sid": "WT00000000000000000000000000000001", "attributes": "{}", "assignment_status": "pending"})
	}))
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL + "/prefix")
	c, err := New(Options{AccountSid: "AC00000000000000000000000000000001", Username: "AC00000000000000000000000000000001", Password: "secret", BaseURL: base, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	rt := c.transport.(*retryTransport)
	rt.policy = backoff.Policy{Base: time.Millisecond, Max: 5 * time.Millisecond}
	return c, &n, &paths
}

const ws = "WS00000000000000000000000000000001"

var ctx = context.Background()

func TestRequestsGoToTheBaseURLUnderTheProductLabel(t *testing.T) {
	c, _, paths := stub(t, 200)
	if _, err := c.TaskRouter(ws).FetchTask(ctx, "WT00000000000000000000000000000001"); err != nil {
		t.Fatal(err)
	}
	if got := (*paths)[0]; !strings.HasPrefix(got, "GET /prefix/taskrouter/v1/Workspaces/"+ws+"/Tasks/WT") {
		t.Fatalf("request went to %s", got)
	}
}

func TestTooManyRequestsIsRetriedEvenForCreates(t *testing.T) {
	c, n, _ := stub(t, 429, 429, 201)
	if _, err := c.TaskRouter(ws).CreateTask(ctx, call.NewTask{WorkflowSid: "WW00000000000000000000000000000001", Attributes: call.Attributes{ClientCall: true}, Timeout: time.Minute}); err != nil {
		t.Fatalf("create after two 429s: %v", err)
	}
	if n.Load() != 3 {
		t.Fatalf("%d requests, want 3", n.Load())
	}
}

func TestServerErrorsAreNotRetriedForCreates(t *testing.T) {
	c, n, _ := stub(t, 500, 201)
	_, err := c.TaskRouter(ws).CreateTask(ctx, call.NewTask{WorkflowSid: "WW00000000000000000000000000000001", Attributes: call.Attributes{ClientCall: true}, Timeout: time.Minute})
	if StatusOf(err) != 500 || n.Load() != 1 {
		t.Fatalf("create: err %v after %d requests; a 5xx create may have happened and must not be repeated", err, n.Load())
	}
}

func TestServerErrorsAreRetriedForUpdatesAndReads(t *testing.T) {
	c, n, paths := stub(t, 503, 502, 200)
	a := call.Attributes{ClientCall: true}
	if _, err := c.TaskRouter(ws).UpdateTask(ctx, "WT00000000000000000000000000000001", call.TaskUpdate{Attributes: &a}); err != nil {
		t.Fatalf("update after two 5xx: %v", err)
	}
	if n.Load() != 3 || !strings.Contains((*paths)[2], "Attributes=") {
		t.Fatalf("retried body lost: %v", *paths)
	}
}

func TestRetriesGiveUp(t *testing.T) {
	c, n, _ := stub(t, 503)
	if _, err := c.TaskRouter(ws).FetchTask(ctx, "WT00000000000000000000000000000001"); StatusOf(err) != 503 {
		t.Fatalf("err %v", err)
	}
	if n.Load() != 4 {
		t.Fatalf("%d attempts, want 4", n.Load())
	}
}

func TestIdempotentRule(t *testing.T) {
	cases := map[string]bool{
		"GET /v1/Workspaces/WS1/Tasks":                                                true,
		"POST /v1/Workspaces/" + ws + "/Tasks":                                        false,
		"POST /v1/Workspaces/" + ws + "/Tasks/WT00000000000000000000000000000001":     true,
		"POST /2010-04-01/Accounts/AC1/Calls/CA00000000000000000000000000000001.json": true,
		"POST /2010-04-01/Accounts/AC1/Calls.json":                                    false,
		"POST /v1/Accounts/AC1/Tokens/validate":                                       true,
	}
	for k, want := range cases {
		m, p, _ := strings.Cut(k, " ")
		req := httptest.NewRequest(m, "https://x.twilio.com"+p, nil)
		if got := idempotent(req); got != want {
			t.Errorf("idempotent(%s) = %v", k, got)
		}
	}
}

func TestTheRequestDeadlineBoundsRetries(t *testing.T) {
	c, n, _ := stub(t, 503)
	c.transport.(*retryTransport).policy = backoff.Policy{Base: 300 * time.Millisecond, Max: time.Second}
	dctx, cancel := context.WithTimeout(ctx, 400*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.TaskRouter(ws).FetchTask(dctx, "WT00000000000000000000000000000001")
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("FetchTask took %v past a 400ms deadline", took)
	}
	if !call.Is(err, call.Unavailable) || n.Load() >= 4 {
		t.Fatalf("err %v (code %q) after %d attempts", err, call.CodeOf(err), n.Load())
	}
}

func TestTwilioErrorsCarryCodes(t *testing.T) {
	cases := map[int]call.Code{404: call.NotFound, 412: call.Stale, 400: call.Refused, 429: call.Unavailable, 500: call.Unavailable}
	for status, want := range cases {
		c, _, _ := stub(t, status)
		c.transport.(*retryTransport).attempts = 1
		a := call.Attributes{}
		_, err := c.TaskRouter(ws).UpdateTask(ctx, "WT00000000000000000000000000000001", call.TaskUpdate{Attributes: &a})
		if got := call.CodeOf(err); got != want {
			t.Errorf("Twilio %d: code %q, want %q (%v)", status, got, want, err)
		}
		if StatusOf(err) != status {
			t.Errorf("Twilio %d: the cause is lost: %v", status, err)
		}
	}
}

func TestMalformedSIDsNeverReachARestPath(t *testing.T) {
	c, n, _ := stub(t, 200)
	bad := []func() error{
		func() error { return c.EndCall(ctx, "../Conferences/CF00000000000000000000000000000001") },
		func() error { return c.EndConference(ctx, "CF0000000000000000000000000000000g") },
		func() error { return c.HoldParticipant(ctx, "CF00000000000000000000000000000001", "CA1/../x", true) },
		func() error { _, err := c.TaskRouter(ws).FetchTask(ctx, "WT../../Workers"); return err },
		func() error {
			_, err := c.TaskRouter("WS1").FetchTask(ctx, "WT00000000000000000000000000000001")
			return err
		},
	}
	for i, f := range bad {
		if err := f(); !call.Is(err, call.Invalid) {
			t.Errorf("case %d: %v, want an Invalid error", i, err)
		}
	}
	if n.Load() != 0 {
		t.Fatalf("%d requests reached Twilio", n.Load())
	}
	var ce *call.Error
	if err := c.EndCall(ctx, "x"); !errors.As(err, &ce) {
		t.Fatal("not a call.Error")
	}
}

func TestTokenValidationRetriesA429AtMostOnce(t *testing.T) {
	c, n, _ := stub(t, 429, 429, 429, 200)
	_, err := c.ValidateFlexToken(ctx, "some-token")
	if !call.Is(err, call.Unavailable) || n.Load() != 2 {
		t.Fatalf("err %v after %d requests, want Unavailable after 2", err, n.Load())
	}
}

// hostRecorder answers every request and remembers the hosts asked for.
type hostRecorder struct {
	mu    sync.Mutex
	hosts []string
}

func (h *hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hosts = append(h.hosts, r.URL.Host)
	h.mu.Unlock()
	body := `{"sid":"WT00000000000000000000000000000001","attributes":"{}","valid":true,"worker_sid":"WK00000000000000000000000000000001"}`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func TestRegionAndEdgeReachEveryProductIAMIncluded(t *testing.T) {
	rec := &hostRecorder{}
	c, err := New(Options{AccountSid: "AC00000000000000000000000000000001", Username: "AC00000000000000000000000000000001", Password: "secret",
		Region: "ie1", Edge: "dublin", Transport: rec, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.TaskRouter(ws).FetchTask(ctx, "WT00000000000000000000000000000001"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ValidateFlexToken(ctx, "tok"); err != nil {
		t.Fatal(err)
	}
	_ = c.EndCall(ctx, "CA00000000000000000000000000000001")
	want := []string{"taskrouter.dublin.ie1.twilio.com", "iam.dublin.ie1.twilio.com", "api.dublin.ie1.twilio.com"}
	if !slices.Equal(rec.hosts, want) {
		t.Fatalf("hosts %v, want %v", rec.hosts, want)
	}
}

func TestARegionalHostIsRebasedByProduct(t *testing.T) {
	c, _, paths := stub(t, 200)
	c.region, c.edge = "au1", "sydney"
	if _, err := c.TaskRouter(ws).FetchTask(ctx, "WT00000000000000000000000000000001"); err != nil {
		t.Fatal(err)
	}
	if got := (*paths)[0]; !strings.HasPrefix(got, "GET /prefix/taskrouter/v1/") {
		t.Fatalf("regional request went to %s", got)
	}
}
