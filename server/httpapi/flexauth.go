package httpapi

import (
	"context"
	"crypto/sha256"
	"net/http"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// FlexTokenHeader carries the agent's Flex token on browser calls.
const FlexTokenHeader = call.FlexTokenHeader

// TokenValidator asks Twilio IAM about a Flex token.
type TokenValidator interface {
	ValidateFlexToken(ctx context.Context, token string) (*call.FlexToken, error)
}

// flexAuth admits browser calls that carry a valid Flex token of a TaskRouter
// worker. IAM answers are cached until the token expires (valid ones) or for a
// short while (invalid ones), so a busy dialpad costs IAM one call per token.
type flexAuth struct {
	iam TokenValidator
	now func() time.Time

	mu    sync.Mutex
	cache map[[32]byte]tokenEntry
}

type tokenEntry struct {
	agent *call.FlexUser // nil: invalid
	why   string
	until time.Time
}

const (
	maxTokenCache   = 10000
	invalidTokenTTL = 30 * time.Second
	validTokenMax   = time.Hour
)

type agentKey struct{}

// agentFrom returns the agent flexAuth admitted.
func agentFrom(ctx context.Context) call.FlexUser {
	return *ctx.Value(agentKey{}).(*call.FlexUser)
}

func newFlexAuth(iam TokenValidator) *flexAuth {
	return &flexAuth{iam: iam, now: time.Now, cache: map[[32]byte]tokenEntry{}}
}

func (a *flexAuth) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get(FlexTokenHeader)
		if token == "" {
			writeAPIError(w, call.Errorf(call.Unauthenticated, "missing %s header: sign in to Flex again", FlexTokenHeader))
			return
		}
		e, err := a.check(r.Context(), token)
		if err != nil {
			writeAPIError(w, &call.Error{Code: call.Unavailable, Msg: "could not verify the Flex session with Twilio: " + err.Error(), Err: err})
			return
		}
		if e.agent == nil {
			writeAPIError(w, call.Errorf(call.Unauthenticated, "%s", e.why))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), agentKey{}, e.agent)))
	})
}

func (a *flexAuth) check(ctx context.Context, token string) (tokenEntry, error) {
	key := sha256.Sum256([]byte(token))
	now := a.now()
	a.mu.Lock()
	e, ok := a.cache[key]
	a.mu.Unlock()
	if ok && now.Before(e.until) {
		return e, nil
	}
	t, err := a.iam.ValidateFlexToken(ctx, token)
	if err != nil {
		return tokenEntry{}, err
	}
	switch {
	case !t.Valid:
		e = tokenEntry{why: "the Flex token is not valid (" + t.Message + "): sign in to Flex again", until: now.Add(invalidTokenTTL)}
	case t.WorkerSid == "":
		e = tokenEntry{why: "this Flex user is not a TaskRouter worker", until: now.Add(invalidTokenTTL)}
	default:
		until := now.Add(validTokenMax)
		if !t.Expiration.IsZero() && t.Expiration.Before(until) {
			until = t.Expiration
		}
		e = tokenEntry{agent: &call.FlexUser{WorkerSid: t.WorkerSid, Identity: t.Identity}, until: until}
	}
	a.mu.Lock()
	if len(a.cache) >= maxTokenCache {
		for k, old := range a.cache {
			if !now.Before(old.until) || len(a.cache) >= maxTokenCache {
				delete(a.cache, k)
			}
		}
	}
	a.cache[key] = e
	a.mu.Unlock()
	return e, nil
}
