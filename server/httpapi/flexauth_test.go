package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// countingIAM is Twilio IAM in memory: tokens in the table are valid until
// revoked; everything else is invalid. It counts validations.
type countingIAM struct {
	mu    sync.Mutex
	valid map[string]string // token → worker SID
	calls atomic.Int64
}

func (c *countingIAM) ValidateFlexToken(_ context.Context, tok string) (*call.FlexToken, error) {
	c.calls.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if w, ok := c.valid[tok]; ok {
		return &call.FlexToken{Valid: true, WorkerSid: w, Identity: "alice"}, nil
	}
	return &call.FlexToken{Valid: false, Message: "token is expired or revoked"}, nil
}

func (c *countingIAM) revoke(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.valid, tok)
}

// authBench is the token check alone, on a clock the test moves.
type authBench struct {
	a   *flexAuth
	iam *countingIAM
	now time.Time
	h   http.Handler
}

func newAuthBench(trustProxy bool) *authBench {
	b := &authBench{iam: &countingIAM{valid: map[string]string{"alice-token": "WK0123456789abcdef0123456789abcdef"}},
		now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	b.a = newFlexAuth(b.iam, trustProxy, noMeter{})
	b.a.now = func() time.Time { return b.now }
	b.h = b.a.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if agentFrom(r.Context()).WorkerSid == "" {
			t := "no agent"
			http.Error(w, t, 500)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	return b
}

func (b *authBench) do(token, from string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/api/queues", nil)
	r.RemoteAddr = from + ":40000"
	r.Header.Set(FlexTokenHeader, token)
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	return w
}

func TestARevokedTokenIsRefusedWithinAMinute(t *testing.T) {
	b := newAuthBench(false)
	if w := b.do("alice-token", "10.0.0.1"); w.Code != http.StatusNoContent {
		t.Fatalf("valid token: %d %s", w.Code, w.Body)
	}
	b.iam.revoke("alice-token")
	b.now = b.now.Add(30 * time.Second)
	if w := b.do("alice-token", "10.0.0.1"); w.Code != http.StatusNoContent {
		t.Fatalf("within the cache lifetime: %d", w.Code)
	}
	b.now = b.now.Add(31 * time.Second)
	if w := b.do("alice-token", "10.0.0.1"); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "revoked") {
		t.Fatalf("61 s after revocation: %d %s", w.Code, w.Body)
	}
	// The refusal is remembered briefly, then asked again.
	calls := b.iam.calls.Load()
	b.do("alice-token", "10.0.0.1")
	if b.iam.calls.Load() != calls {
		t.Fatal("an invalid answer was not cached")
	}
	b.now = b.now.Add(invalidTokenTTL + time.Second)
	b.do("alice-token", "10.0.0.1")
	if b.iam.calls.Load() != calls+1 {
		t.Fatal("an invalid answer was cached for too long")
	}
}

func TestOversizedTokensAreRefusedWithoutAskingIAM(t *testing.T) {
	b := newAuthBench(false)
	if w := b.do(strings.Repeat("x", maxTokenBytes+1), "10.0.0.1"); w.Code != http.StatusUnauthorized {
		t.Fatalf("9 KB token: %d", w.Code)
	}
	if n := b.iam.calls.Load(); n != 0 {
		t.Fatalf("%d IAM calls for an oversized token", n)
	}
}

// flood sends n random tokens, interleaving one request of an active agent
// every 50, with the clock moving step per request; from names each flood
// request's client address. It returns the agent's answers.
func (b *authBench) flood(n int, step time.Duration, from func(i int) string) (agent []int) {
	for i := range n {
		b.now = b.now.Add(step)
		b.do(fmt.Sprintf("random-%d", i), from(i))
		if i%50 == 0 {
			agent = append(agent, b.do("alice-token", "10.9.9.9").Code)
		}
	}
	return agent
}

func TestARandomTokenFloodCannotDriveIAM(t *testing.T) {
	const n, step = 40000, 250 * time.Microsecond // 40,000 tokens in 10 s
	elapsed := time.Duration(n) * step
	cases := map[string]struct {
		from  func(int) string
		bound int64
	}{
		"one client": {func(int) string { return "203.0.113.7" },
			perClientBurst + int64(perClientPerSecond*elapsed.Seconds()) + 1},
		"many clients": {func(i int) string { return fmt.Sprintf("198.51.%d.%d", i/250%250, i%250) },
			unknownBurst + int64(unknownPerSecond*elapsed.Seconds()) + 1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			b := newAuthBench(false)
			b.do("alice-token", "10.9.9.9") // the agent was signed in before
			before := b.iam.calls.Load()
			agent := b.flood(n, step, c.from)
			calls := b.iam.calls.Load() - before
			t.Logf("%d random tokens over %v: %d IAM calls (bound %d)", n, elapsed, calls, c.bound)
			if calls > c.bound {
				t.Errorf("%d IAM calls, over the bound %d", calls, c.bound)
			}
			if bad := slices.IndexFunc(agent, func(code int) bool { return code != http.StatusNoContent }); bad >= 0 {
				t.Errorf("the active agent was refused during the flood: %d", agent[bad])
			}
		})
	}
}

// The agent's token outlives the cache lifetime in the middle of a flood that
// has used up every limit: renewing a token seen valid is not rate limited.
func TestAKnownTokenIsRenewedDuringAFlood(t *testing.T) {
	b := newAuthBench(false)
	b.do("alice-token", "10.9.9.9")
	b.now = b.now.Add(validTokenTTL)
	// A burst of random tokens from many clients, all at once: every limit is spent.
	for i := range 5000 {
		b.do(fmt.Sprintf("random-%d", i), fmt.Sprintf("198.51.%d.%d", i/250, i%250))
	}
	if w := b.do("alice-token", "10.9.9.9"); w.Code != http.StatusNoContent {
		t.Fatalf("renewal during the flood: %d %s", w.Code, w.Body)
	}
	if w := b.do("never-seen", "10.9.9.10"); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("an unknown token past the limits: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}

// BenchmarkActiveAgentDuringFlood reports the active agent's p99 while random
// tokens flood the check from many clients (make bench).
func BenchmarkActiveAgentDuringFlood(b *testing.B) {
	ab := newAuthBench(false)
	ab.a.now = time.Now
	ab.do("alice-token", "10.9.9.9")
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		ab.do(fmt.Sprintf("random-%d", i), fmt.Sprintf("198.51.%d.%d", i/250%250, i%250))
		if i%20 == 0 {
			start := time.Now()
			ab.do("alice-token", "10.9.9.9")
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "agent-p99-ms")
	}
}
