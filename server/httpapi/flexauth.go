package httpapi

import (
	"context"
	"crypto/sha256"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"

	"github.com/flex-internal-call/internal-call/call"
)

// FlexTokenHeader carries the agent's Flex token on browser calls.
const FlexTokenHeader = call.FlexTokenHeader

// TokenValidator asks Twilio IAM about a Flex token.
type TokenValidator interface {
	ValidateFlexToken(ctx context.Context, token string) (*call.FlexToken, error)
}

// Limits of the Flex token check.
const (
	// validTokenTTL bounds how long IAM's "valid" is believed: a logged-out or
	// revoked token is refused within it.
	validTokenTTL = 60 * time.Second
	// invalidTokenTTL is how long "invalid" is remembered.
	invalidTokenTTL = 10 * time.Second
	// maxTokenBytes: Flex tokens are a few kilobytes; longer ones are refused
	// without asking IAM.
	maxTokenBytes = 8 << 10
	// knownTokens and unknownTokens size the two caches: a flood of random
	// tokens churns the second and cannot evict an active agent from the first.
	knownTokens   = 20000
	unknownTokens = 20000
	// Validations of tokens not seen valid before, across the server and per
	// client address: random tokens cannot drive IAM calls one for one.
	unknownPerSecond, unknownBurst     = 50, 100
	perClientPerSecond, perClientBurst = 2, 10
	clientLimiters                     = 10000
)

// flexAuth admits browser calls that carry a valid Flex token of a TaskRouter
// worker. A token IAM found valid is believed for validTokenTTL, then asked
// about again (renewals of known tokens are not rate limited: their number is
// the number of agents); an unknown token costs an IAM call only within the
// rate limits, else 429.
type flexAuth struct {
	iam        TokenValidator
	now        func() time.Time
	trustProxy bool
	meter      Meter

	known   *lru.Cache[[32]byte, knownToken]
	unknown *lru.Cache[[32]byte, time.Time] // invalid until

	global  *rate.Limiter
	mu      sync.Mutex
	clients *lru.Cache[string, *rate.Limiter]
}

// knownToken is a token IAM said was valid.
type knownToken struct {
	agent call.FlexUser
	until time.Time // believed until; after that, asked again
}

type agentKey struct{}

// agentFrom returns the agent flexAuth admitted.
func agentFrom(ctx context.Context) call.FlexUser {
	return ctx.Value(agentKey{}).(call.FlexUser)
}

func newFlexAuth(iam TokenValidator, trustProxy bool, meter Meter) *flexAuth {
	known, _ := lru.New[[32]byte, knownToken](knownTokens)
	unknown, _ := lru.New[[32]byte, time.Time](unknownTokens)
	clients, _ := lru.New[string, *rate.Limiter](clientLimiters)
	return &flexAuth{
		iam: iam, now: time.Now, trustProxy: trustProxy, meter: meter,
		known: known, unknown: unknown, clients: clients,
		global: rate.NewLimiter(unknownPerSecond, unknownBurst),
	}
}

// refusal is a token check's answer other than "admitted".
type refusal struct {
	err        error
	retryAfter time.Duration
}

func (a *flexAuth) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent, no := a.check(r)
		if no != nil {
			if no.retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(int((no.retryAfter+time.Second-1)/time.Second)))
			}
			writeAPIError(w, no.err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), agentKey{}, agent)))
	})
}

func (a *flexAuth) check(r *http.Request) (call.FlexUser, *refusal) {
	token := r.Header.Get(FlexTokenHeader)
	switch {
	case token == "":
		return call.FlexUser{}, &refusal{err: call.Errorf(call.Unauthenticated, "missing %s header: sign in to Flex again", FlexTokenHeader)}
	case len(token) > maxTokenBytes:
		return call.FlexUser{}, &refusal{err: call.Errorf(call.Unauthenticated, "the Flex token is not valid (too long): sign in to Flex again")}
	}
	key := sha256.Sum256([]byte(token))
	now := a.now()
	k, wasKnown := a.known.Get(key)
	if wasKnown && now.Before(k.until) {
		a.meter.TokenCacheHit("valid")
		return k.agent, nil
	}
	if until, ok := a.unknown.Get(key); ok && now.Before(until) {
		a.meter.TokenCacheHit("invalid")
		return call.FlexUser{}, &refusal{err: call.Errorf(call.Unauthenticated, "the Flex token is not valid: sign in to Flex again")}
	}
	if !wasKnown {
		if wait := a.limit(r); wait > 0 {
			return call.FlexUser{}, &refusal{err: call.Errorf(call.Throttled, "too many sign-in checks; try again shortly"), retryAfter: wait}
		}
	}
	t, err := a.iam.ValidateFlexToken(r.Context(), token)
	if err != nil {
		a.meter.TokenValidated("error")
		return call.FlexUser{}, &refusal{err: &call.Error{Code: call.Unavailable, Msg: "could not verify the Flex session with Twilio: " + err.Error(), Err: err}, retryAfter: time.Second}
	}
	switch {
	case !t.Valid:
		a.meter.TokenValidated("invalid")
		a.known.Remove(key)
		a.unknown.Add(key, now.Add(invalidTokenTTL))
		return call.FlexUser{}, &refusal{err: call.Errorf(call.Unauthenticated, "the Flex token is not valid (%s): sign in to Flex again", t.Message)}
	case t.WorkerSid == "":
		a.meter.TokenValidated("not-worker")
		a.unknown.Add(key, now.Add(invalidTokenTTL))
		return call.FlexUser{}, &refusal{err: call.Errorf(call.Unauthenticated, "this Flex user is not a TaskRouter worker")}
	}
	until := now.Add(validTokenTTL)
	if !t.Expiration.IsZero() && t.Expiration.Before(until) {
		until = t.Expiration
	}
	a.meter.TokenValidated("valid")
	agent := call.FlexUser{WorkerSid: t.WorkerSid, Identity: t.Identity}
	a.known.Add(key, knownToken{agent: agent, until: until})
	return agent, nil
}

// limit spends one validation of an unknown token for the client and the
// server, or says how long to wait.
func (a *flexAuth) limit(r *http.Request) time.Duration {
	now := a.now()
	client := a.clientLimiter(a.clientAddr(r))
	if !client.AllowN(now, 1) {
		return time.Second
	}
	if !a.global.AllowN(now, 1) {
		return time.Second
	}
	return 0
}

func (a *flexAuth) clientLimiter(addr string) *rate.Limiter {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.clients.Get(addr)
	if !ok {
		l = rate.NewLimiter(perClientPerSecond, perClientBurst)
		a.clients.Add(addr, l)
	}
	return l
}

// clientAddr is the browser's address: the first X-Forwarded-For hop behind
// a trusted proxy, else the peer.
func (a *flexAuth) clientAddr(r *http.Request) string {
	if a.trustProxy {
		if f := firstValue(r.Header.Get("X-Forwarded-For")); f != "" {
			return f
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
