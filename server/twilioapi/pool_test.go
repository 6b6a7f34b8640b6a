package twilioapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// reuse runs rounds of 32 concurrent Twilio calls and returns the share of
// them that reused a pooled connection.
func reuse(t testing.TB, rounds int) float64 {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"sid": "WT00000000000000000000000000000001", "attributes": "{}", "assignment_status": "pending"})
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	c, err := New(Options{AccountSid: "AC00000000000000000000000000000001", Username: "AC00000000000000000000000000000001", Password: "secret", BaseURL: base, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	var total, reused atomic.Int64
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		total.Add(1)
		if i.Reused {
			reused.Add(1)
		}
	}}
	ctx := httptrace.WithClientTrace(context.Background(), trace)
	const concurrency = 32
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				if _, err := c.TaskRouter(ws).FetchTask(ctx, "WT00000000000000000000000000000001"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(reused.Load()) / float64(total.Load())
}

// At 32 concurrent webhooks nearly every Twilio call reuses a connection:
// only the first 32 open one.
func TestTwilioCallsReuseConnections(t *testing.T) {
	if r := reuse(t, 50); r < 0.95 {
		t.Fatalf("%.1f%% of Twilio calls reused a connection, want ≥ 95%%", r*100)
	}
}

// BenchmarkConnectionReuse reports the reuse ratio at 32 concurrent calls (make bench).
func BenchmarkConnectionReuse(b *testing.B) {
	var r float64
	for b.Loop() {
		r = reuse(b, 100)
	}
	b.ReportMetric(r, "reuse-ratio")
}
