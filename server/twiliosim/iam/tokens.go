package iam

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"sync"
	"time"
)

// Token is an issued Flex token and what validation tells about it.
type Token struct {
	Value       string
	WorkerSid   string
	Identity    string
	RealmUserID string
	Roles       []string
	Expires     time.Time
}

// Expired reports whether t is past its expiry at now.
func (t Token) Expired(now time.Time) bool { return !now.Before(t.Expires) }

// Service issues and validates the tokens of one account. Safe for concurrent use.
type Service struct {
	accountSid string
	now        func() time.Time

	mu     sync.Mutex
	tokens map[string]Token
}

// New returns the token service of accountSid.
func New(accountSid string) *Service {
	return &Service{accountSid: accountSid, now: time.Now, tokens: map[string]Token{}}
}

// Issue mints a token for a worker, valid for ttl (a ttl <= 0 mints one that is
// already expired, for tests).
func (s *Service) Issue(workerSid, identity string, roles []string, ttl time.Duration) Token {
	now := s.now()
	t := Token{
		Value:       newValue(),
		WorkerSid:   workerSid,
		Identity:    identity,
		RealmUserID: identity,
		Roles:       slices.Clone(roles),
		Expires:     now.Add(ttl),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for v, old := range s.tokens {
		// Forget tokens expired long enough that "expired" and "unknown" no
		// longer need telling apart.
		if now.Sub(old.Expires) > time.Hour {
			delete(s.tokens, v)
		}
	}
	s.tokens[t.Value] = t
	return t
}

// Rotate issues a fresh token for the worker behind a valid token, as Flex
// refreshes manager.user.token before it expires. The old token stays valid
// until its own expiry.
func (s *Service) Rotate(value string, ttl time.Duration) (Token, bool) {
	t, res := s.Validate(value)
	if res != Valid {
		return Token{}, false
	}
	return s.Issue(t.WorkerSid, t.Identity, t.Roles, ttl), true
}

// Revoke makes token invalid at once (logout).
func (s *Service) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, token)
}

// Result is the outcome of validating a token.
type Result int

const (
	Valid Result = iota
	Unknown
	Expired
)

// Validate returns the token behind value and whether it is valid now.
func (s *Service) Validate(value string) (Token, Result) {
	s.mu.Lock()
	t, ok := s.tokens[value]
	s.mu.Unlock()
	switch {
	case !ok || value == "":
		return Token{}, Unknown
	case t.Expired(s.now()):
		return t, Expired
	}
	t.Roles = slices.Clone(t.Roles)
	return t, Valid
}

// newValue is 256 random bits, URL-safe so it travels in headers and query strings.
func newValue() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
