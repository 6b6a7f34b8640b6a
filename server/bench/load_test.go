package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// The load generator counts what the server answered as expected, and
// counts the rest as errors; the numbers are checked against the server's
// own count, not against a rate.
func TestLoadCountsAnswersAndErrors(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		if r.URL.Query().Get("fail") != "" {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	l := Load{Concurrency: 4, Warmup: 50 * time.Millisecond, Duration: 200 * time.Millisecond}
	ok := l.Run(context.Background(), Request{Method: http.MethodPost, URL: srv.URL, Status: http.StatusNoContent})
	if ok.Requests == 0 || ok.Errors != 0 || ok.Latency.N != ok.Requests || int64(ok.Requests) > served.Load() {
		t.Fatalf("result %+v, server served %d", ok, served.Load())
	}
	if ok.RPS() <= 0 {
		t.Fatalf("rps %v", ok.RPS())
	}
	bad := l.Run(context.Background(), Request{Method: http.MethodPost, URL: srv.URL + "?fail=1", Status: http.StatusNoContent})
	if bad.Requests != 0 || bad.Errors == 0 || bad.FirstError == "" {
		t.Fatalf("result %+v", bad)
	}
}
