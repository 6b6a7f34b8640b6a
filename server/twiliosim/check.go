package twiliosim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// Check is the invariant every flow must leave behind: no task pending,
// reserved or assigned, no conference or call still up, and no TwiML error.
// The error lists everything still open.
func (s *Sim) Check() error {
	var open []string
	for _, ws := range s.TaskRouter.Snapshot().Workspaces {
		for _, t := range ws.Tasks {
			switch t.AssignmentStatus {
			case taskrouter.StatusPending, taskrouter.StatusReserved, taskrouter.StatusAssigned:
				open = append(open, fmt.Sprintf("task %s is %s (attributes %s)", t.Sid, t.AssignmentStatus, t.Attributes))
			}
		}
	}
	for _, cf := range s.Voice.Conferences() {
		if cf.Status != "completed" {
			open = append(open, fmt.Sprintf("conference %s (%s) is %s with %d participants",
				cf.Sid, cf.FriendlyName, cf.Status, len(cf.Participants)))
		}
	}
	for _, c := range s.Voice.Calls() {
		switch c.Status {
		case "queued", "ringing", "in-progress":
			open = append(open, fmt.Sprintf("call %s to %s is %s", c.Sid, c.To, c.Status))
		}
	}
	for _, err := range s.Voice.Errors() {
		open = append(open, "voice error: "+err.Error())
	}
	if len(open) == 0 {
		return nil
	}
	return errors.New("twiliosim: not settled:\n  " + strings.Join(open, "\n  "))
}

// Wait returns once the simulator is quiet: every queued callback delivered
// and nothing changed in TaskRouter or Voice over a short settling interval
// (a callback's answer may start more work, which is waited for too).
func (s *Sim) Wait(ctx context.Context) error {
	const settle = 20 * time.Millisecond
	prev := ""
	for {
		if err := s.Voice.Wait(ctx); err != nil {
			return err
		}
		cur := s.fingerprint()
		if cur == prev {
			return nil
		}
		prev = cur
		t := time.NewTimer(settle)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// fingerprint summarises the state that moves during a flow.
func (s *Sim) fingerprint() string {
	var b strings.Builder
	for _, ws := range s.TaskRouter.Snapshot().Workspaces {
		for _, t := range ws.Tasks {
			fmt.Fprintf(&b, "%s:%s:%s;", t.Sid, t.AssignmentStatus, t.ETag)
		}
		for _, r := range ws.Reservations {
			fmt.Fprintf(&b, "%s:%s;", r.Sid, r.ReservationStatus)
		}
		for _, w := range ws.Workers {
			fmt.Fprintf(&b, "%s:%s;", w.Sid, w.ActivitySid)
		}
	}
	for _, c := range s.Voice.Calls() {
		fmt.Fprintf(&b, "%s:%s;", c.Sid, c.Status)
	}
	for _, cf := range s.Voice.Conferences() {
		fmt.Fprintf(&b, "%s:%s:%d;", cf.Sid, cf.Status, len(cf.Participants))
	}
	fmt.Fprintf(&b, "errors:%d", len(s.Voice.Errors()))
	return b.String()
}

// Settle waits until the simulator is quiet and Check passes, or timeout;
// it returns Check's last complaint then.
func (s *Sim) Settle(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = s.Wait(ctx)
		cancel()
		err := s.Check()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
