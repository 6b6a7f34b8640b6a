// Package backoff spaces out retries: exponential delays with jitter, so that
// several replicas retrying the same Twilio failure do not retry in step, and
// sleeps that end when the request's context does.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Policy is exponential backoff with "equal jitter": the n-th retry waits a
// random time in (d/2, d], where d = Base·2^(n-1) capped at Max.
type Policy struct {
	Base time.Duration
	Max  time.Duration
	// Rand returns a number in [0, n); nil means math/rand/v2. Tests fix it.
	Rand func(n int64) int64
}

// Delay is the wait before retry number attempt (1 for the first retry).
func (p Policy) Delay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := p.Base
	for i := 1; i < attempt && (p.Max <= 0 || d < p.Max); i++ {
		d *= 2
	}
	if p.Max > 0 && d > p.Max {
		d = p.Max
	}
	if d <= 0 {
		return 0
	}
	r := p.Rand
	if r == nil {
		r = rand.Int64N
	}
	half := d / 2
	return half + time.Duration(r(int64(d-half))) + 1
}

// Sleep waits for d, or less when ctx ends first (then it returns ctx's error).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
