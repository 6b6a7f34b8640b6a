package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/backoff"
)

// resolution is what the server knows of the Internal Call workflow: its
// SID, or why it is not known yet.
type resolution struct {
	mu  sync.Mutex
	sid string
	err error
}

func (r *resolution) set(sid string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sid, r.err = sid, err
}

func (r *resolution) get() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sid, r.err
}

// retry resolves the workflow until it works, with backoff (1 s doubling to
// 30 s), or until ctx ends. A configuration error found on the way (say the
// workflow was deleted while Twilio was down) is logged and kept trying: the
// server is already serving, and /readyz names the cause.
func (r *resolution) retry(ctx context.Context, log *slog.Logger, resolve func(context.Context) (string, error), done func(string)) {
	policy := backoff.Policy{Base: time.Second, Max: 30 * time.Second}
	for attempt := 1; ; attempt++ {
		if backoff.Sleep(ctx, policy.Delay(attempt)) != nil {
			return
		}
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		sid, err := resolve(actx)
		cancel()
		if err == nil {
			r.set(sid, nil)
			done(sid)
			log.Info("Internal Call workflow resolved", "workflow_sid", sid, "attempts", attempt+1)
			return
		}
		r.set("", err)
		if !call.Is(err, call.Unavailable) {
			log.Error("Internal Call workflow: configuration error", "error", err)
		}
	}
}
