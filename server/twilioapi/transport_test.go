package twilioapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
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
	rt := c.base.HTTPClient.Transport.(*retryTransport)
	rt.baseDelay, rt.maxDelay = time.Millisecond, 5*time.Millisecond
	return c, &n, &paths
}

const ws = "WS00000000000000000000000000000001"

func TestRequestsGoToTheBaseURLUnderTheProductLabel(t *testing.T) {
	c, _, paths := stub(t, 200)
	if _, err := c.FetchTask(ws, "WT00000000000000000000000000000001"); err != nil {
		t.Fatal(err)
	}
	if got := (*paths)[0]; !strings.HasPrefix(got, "GET /prefix/taskrouter/v1/Workspaces/"+ws+"/Tasks/WT") {
		t.Fatalf("request went to %s", got)
	}
}

func TestTooManyRequestsIsRetriedEvenForCreates(t *testing.T) {
	c, n, _ := stub(t, 429, 429, 201)
	if _, err := c.CreateTask(ws, "WW00000000000000000000000000000001", call.Attributes{ClientCall: true}, 60); err != nil {
		t.Fatalf("create after two 429s: %v", err)
	}
	if n.Load() != 3 {
		t.Fatalf("%d requests, want 3", n.Load())
	}
}

func TestServerErrorsAreNotRetriedForCreates(t *testing.T) {
	c, n, _ := stub(t, 500, 201)
	_, err := c.CreateTask(ws, "WW00000000000000000000000000000001", call.Attributes{ClientCall: true}, 60)
	if StatusOf(err) != 500 || n.Load() != 1 {
		t.Fatalf("create: err %v after %d requests; a 5xx create may have happened and must not be repeated", err, n.Load())
	}
}

func TestServerErrorsAreRetriedForUpdatesAndReads(t *testing.T) {
	c, n, paths := stub(t, 503, 502, 200)
	a := call.Attributes{ClientCall: true}
	if _, err := c.UpdateTask(ws, "WT00000000000000000000000000000001", TaskUpdate{Attributes: &a}); err != nil {
		t.Fatalf("update after two 5xx: %v", err)
	}
	if n.Load() != 3 || !strings.Contains((*paths)[2], "Attributes=") {
		t.Fatalf("retried body lost: %v", *paths)
	}
}

func TestRetriesGiveUp(t *testing.T) {
	c, n, _ := stub(t, 503)
	if _, err := c.FetchTask(ws, "WT00000000000000000000000000000001"); StatusOf(err) != 503 {
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
