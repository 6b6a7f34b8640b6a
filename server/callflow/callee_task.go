package callflow

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// calleeTaskSlack is how long the callee's task outlives the ring timeout
// before TaskRouter cancels it by itself: a backstop, not the normal path.
const calleeTaskSlack = 60 * time.Second

// createCalleeTask creates the callee's task once the caller's leg is in the
// conference. Exactly once, whatever Twilio delivers (duplicate, retried or
// reordered callbacks) and however many replicas receive it: the decision is
// taken on the caller task's revision (If-Match), not in process memory.
//
//  1. Claim: write the conference, the caller's call SID and a claim onto the
//     caller task, conditional on its ETag. A live claim or a callee task SID
//     already there means someone else is (or was) doing the work.
//  2. Create: look for a callee task made by an earlier, interrupted attempt;
//     create one only when there is none. Retried with backoff and jitter.
//  3. Record the callee task SID on the caller task and drop the claim.
//
// When the task finally cannot be created the caller hears so and the call ends.
func (f *Flow) createCalleeTask(ctx context.Context, callerSid, conferenceSid, callerCallSid string) error {
	_, err := f.setUpCall(ctx, callerSid, conferenceSid, callerCallSid)
	return err
}

// setUpCall is createCalleeTask reporting whether the call is past set-up
// when it returns: the record names a callee task, or the call is over.
// False means another attempt holds a live claim.
func (f *Flow) setUpCall(ctx context.Context, callerSid, conferenceSid, callerCallSid string) (bool, error) {
	// Each attempt claims under its own name: two callbacks handled by the same
	// process are as much a race as two replicas.
	claimID := newClaimID()
	var claimed *call.Task
	takeover := false // an earlier claim expired: its holder may have created the task
	cur, err := f.mutate(ctx, callerSid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		claimed, takeover = nil, false
		now := f.now()
		if ic.Role != call.RoleCaller || ic.Status.Final() || !t.Open() || ic.CalleeTaskSid != "" {
			return nil
		}
		if c := ic.Claim; c != nil && now.Sub(time.Unix(c.Since, 0)) < f.s.ClaimTTL {
			return nil
		}
		// Anything but a first claim on a new call may follow an attempt
		// that created the task.
		takeover = ic.Claim != nil || ic.Status != call.StatusInitiated
		ic.Claim = &call.Claim{By: claimID, Since: now.Unix()}
		ic.ConferenceSid = conferenceSid
		ic.CallerCallSid = callerCallSid
		ic.CallerTaskSid = callerSid
		ic.Status = call.StatusRinging
		// Flex finds a task's conference by its SID; the name stays the server's.
		t.Attributes.Conference = &call.Conference{Sid: conferenceSid}
		t.Attributes.Conversations = &call.Conversations{ConversationID: callerSid}
		claimed = t
		return attrs(t)
	})
	if err != nil {
		// Nothing was claimed, so nothing is half done: another signal (the
		// caller's next ringback fetch, a duplicated join) sets the call up, or
		// has already. Failing the call here could end one that is set up.
		return false, err
	}
	if claimed == nil {
		if ic := internalCall(cur); ic.Status.Final() || !cur.Open() {
			// The call is over: the caller hung up before their leg was known
			// to the server, or it was declined or timed out while this join
			// was on its way. The leg may have just joined a conference nobody
			// will end; the caller hears why, as from the ringback.
			f.log.Info("caller's leg joined a call that is over: finishing it", "task_sid", callerSid, "call_sid", callerCallSid, "status", ic.Status)
			return true, f.finishLeg(ctx, callerCallSid, ic.Status)
		}
		f.observeClaimLost(cur)
		return internalCall(cur).CalleeTaskSid != "", nil
	}
	callee, err := f.findOrCreateCallee(ctx, claimed, takeover)
	if err != nil {
		return true, f.failCall(ctx, callerSid, callerCallSid, err)
	}
	rec, err := f.mutate(ctx, callerSid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		if ic.CalleeTaskSid == callee {
			return nil
		}
		ic.CalleeTaskSid = callee
		ic.Claim = nil
		return attrs(t)
	})
	if err != nil {
		return false, err
	}
	if cic := internalCall(rec); cic.Status.Final() {
		// The call ended (the caller hung up, it timed out) while the task was
		// being made: withdraw it at once rather than offer a dead call.
		return true, f.settle(ctx, callerSid, "", reasonOr(cic.Reason, "the call ended while it was being set up"), true)
	}
	// The caller's record now vouches for the callee task; seal the callee's
	// copy too, so it stands on its own from here on.
	_, err = f.mutate(ctx, callee, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		if ic.Seal != "" {
			return nil
		}
		return attrs(t)
	})
	return true, err
}

// failCall ends a call whose callee task could not be created, so the caller
// hears why instead of waiting in silence. Best effort: Twilio may be what
// failed, and the ring timeout remains the last resort.
func (f *Flow) failCall(ctx context.Context, callerSid, callerCallSid string, cause error) error {
	// The claim held while this attempt retried; still, the record decides:
	// a call whose callee task exists (an attempt that outlived its claim,
	// another replica's takeover) is not failed.
	if cur, err := f.tr.FetchTask(ctx, callerSid); err == nil && f.seal.Verify(cur) {
		if ic := cur.Attributes.InternalCall; ic != nil && ic.CalleeTaskSid != "" {
			f.log.Warn("callee task creation failed, but the call has one: left alone", "task_sid", callerSid, "error", cause)
			return cause
		}
	}
	f.log.Error("callee task could not be created", "task_sid", callerSid, "error", cause)
	reason := fmt.Sprintf("the call could not be routed: %v", cause)
	if err := f.endUnanswered(ctx, callerSid, callerCallSid, call.StatusFailed, reason, sayCouldNotRun); err != nil {
		return errors.Join(cause, err)
	}
	return nil
}

// findOrCreateCallee returns the SID of the callee task for a claimed caller
// task, creating it unless an earlier attempt already did. An earlier attempt
// can only exist after a failed create or an expired claim (takeover): a
// first claim goes straight to the create, saving a round trip to Twilio on
// the call's critical path.
func (f *Flow) findOrCreateCallee(ctx context.Context, caller *call.Task, takeover bool) (string, error) {
	workflow, err := f.workflowSid()
	if err != nil {
		return "", err
	}
	task := call.NewTask{
		WorkflowSid: workflow,
		Attributes:  call.CalleeAttributes(caller.Sid, caller.Attributes, *caller.Attributes.Conference),
		Timeout:     f.s.RingTimeout + calleeTaskSlack,
	}
	var lastErr error
	for attempt := 0; attempt < f.s.CreateAttempts; attempt++ {
		if attempt > 0 {
			if err := f.clock.Sleep(ctx, f.s.Retry.Delay(attempt)); err != nil {
				return "", errors.Join(lastErr, err)
			}
		}
		if attempt > 0 || takeover {
			// A create that failed with 5xx or a timeout may still have happened.
			existing, err := f.findCallee(ctx, caller.Sid)
			if err != nil {
				lastErr = err
				continue
			}
			if existing != "" {
				return existing, nil
			}
		}
		t, err := f.tr.CreateTask(ctx, task)
		if err == nil {
			return t.Sid, nil
		}
		lastErr = err
		if !call.Is(err, call.Unavailable) {
			return "", err // Twilio refused the task itself: retrying changes nothing
		}
	}
	return "", lastErr
}

// newClaimID names one attempt to create a callee task.
func newClaimID() string {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}
