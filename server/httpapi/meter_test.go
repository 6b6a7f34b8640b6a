package httpapi

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
)

// recordingMeter keeps what the HTTP surface told it.
type recordingMeter struct {
	mu       sync.Mutex
	requests []string
	tokens   []string
}

func (m *recordingMeter) RequestServed(route, method string, status int, _ time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests = append(m.requests, method+" "+route+" "+strconv.Itoa(status))
}

func (m *recordingMeter) TokenValidated(result string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens = append(m.tokens, "iam "+result)
}

func (m *recordingMeter) TokenCacheHit(result string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens = append(m.tokens, "cache "+result)
}

func TestRequestsAreCountedByRoutePatternNotPath(t *testing.T) {
	m := &recordingMeter{}
	r := chi.NewRouter()
	r.Use(countRequests(m))
	r.Post("/api/calls/{taskSid}/{action}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusConflict) })
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodPost, "/api/calls/"+taskSid+"/hangup", nil),
		httptest.NewRequest(http.MethodGet, "/healthz", nil),
		httptest.NewRequest(http.MethodGet, "/no/such/page", nil),
	} {
		r.ServeHTTP(httptest.NewRecorder(), req)
	}
	want := []string{"POST /api/calls/{taskSid}/{action} 409", "GET /healthz 200", "GET  404"}
	if !slices.Equal(m.requests, want) {
		t.Fatalf("requests %q, want %q", m.requests, want)
	}
}

func TestTokenChecksAreMeteredAsValidationsAndCacheHits(t *testing.T) {
	b := newAuthBench(false)
	m := &recordingMeter{}
	b.a.meter = m
	b.do("alice-token", "10.0.0.1")
	b.do("alice-token", "10.0.0.1")
	b.do("forged-token", "10.0.0.1")
	b.do("forged-token", "10.0.0.1")
	want := []string{"iam valid", "cache valid", "iam invalid", "cache invalid"}
	if !slices.Equal(m.tokens, want) {
		t.Fatalf("token checks %q, want %q", m.tokens, want)
	}
}

func TestMetricsOnThePublicPortNeedTheBearerToken(t *testing.T) {
	h := bearerOnly("s3cret-metrics-token", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("metrics")) }))
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusUnauthorized},
		{"Basic czNjcmV0LW1ldHJpY3MtdG9rZW4=", http.StatusUnauthorized},
		{"Bearer s3cret-metrics-token", http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, MetricsPath, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tc.want {
			t.Errorf("Authorization %q: %d, want %d", tc.auth, w.Code, tc.want)
		}
	}
}
