package chaos

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// partyJudgement is what the simulator's state says of a party class's
// third party, beside what analyze judges of every call.
type partyJudgement struct {
	duplicates             int
	open, untold, mismatch []string
	outcome                string // the class's party outcome count
}

// judgeParty judges the third party of a party class call:
//
//   - exactly one target task per transfer (per participant label), offered
//     to the scripted target only, and each one completed or canceled;
//   - the outcome the script leads to: the target joined (accepting
//     classes) and their task ended, or declined and never joined; the
//     number joined and was removed. A target whose answer (or decline)
//     raced the ring timeout may end not answered instead;
//   - the transferrer told: their panel showed the target joined, declined
//     or removed, and after a cold or completed transfer their own task
//     showed the call over for them while it went on;
//   - a request the product answered with an error (after its retries and
//     the agent's clicks again), or a transfer that failed after it was
//     answered (the panel saying so), is scripted as "refused, call
//     unchanged" only when no third party joined the call: the pair went on
//     and hung up.
func (h *harness) judgeParty(c *Call, callerTask string, ca call.Attributes, targets []taskrouter.Task,
	resOf map[string][]taskrouter.Reservation, legsTo map[string][]voice.Call, p *Problem) partyJudgement {
	var j partyJudgement
	o := &c.obs
	o.mu.Lock()
	po := o.party
	o.mu.Unlock()
	if c.Target != nil {
		p.Target = c.Target.Name
	}

	// Target tasks: one per label, to the target, closed.
	perLabel := map[string]int{}
	taskStatus := map[string]call.Status{} // label → its task's internal_call.status
	for _, t := range targets {
		a, _ := call.ParseAttributes(t.Attributes)
		p.TargetTasks = append(p.TargetTasks, taskState(t, a, resOf))
		l := partyLabel(a)
		if perLabel[l]++; perLabel[l] > 1 {
			j.duplicates++
		}
		if a.InternalCall != nil {
			taskStatus[l] = a.InternalCall.Status
		}
		if t.AssignmentStatus != taskrouter.StatusCompleted && t.AssignmentStatus != taskrouter.StatusCanceled {
			j.open = append(j.open, fmt.Sprintf("target task %s (%s) %s", t.Sid, l, t.AssignmentStatus))
		}
		if c.Target == nil || a.TargetWorker != c.Target.Contact {
			j.mismatch = append(j.mismatch, fmt.Sprintf("target task %s offered to %q", t.Sid, a.TargetWorker))
		}
	}
	if c.Class == NumberAddedRemoved {
		for _, l := range legsTo[c.Number] {
			p.CallerLegs = append(p.CallerLegs, fmt.Sprintf("number %s %s answered=%v", l.Sid, l.Status, l.StartTime != ""))
		}
	}

	var ps call.PartyState
	if raw, ok := ca.Extra[call.PartiesKey]; ok {
		_ = json.Unmarshal(raw, &ps)
	}
	if po.refused {
		j.outcome = "refused"
		for l := range perLabel {
			if _, in := h.tr.joinedAt(callerTask, l); in {
				j.mismatch = append(j.mismatch, "the request was refused, yet "+l+" joined the call")
			}
		}
		for _, x := range ps.Parties {
			if _, in := h.tr.joinedAt(callerTask, x.Label); in {
				j.mismatch = append(j.mismatch, "the request was refused, yet "+x.Label+" joined the call")
			}
		}
		return j
	}
	if po.label == "" {
		// The script never got to the request (the call did not connect,
		// or the transferrer's Flex never showed it): nothing to judge here.
		j.outcome = "not requested"
		if len(ps.Parties) > 0 || len(targets) > 0 {
			j.mismatch = append(j.mismatch, "a party was added although none was requested")
		}
		return j
	}
	var recParty *call.Party
	for i := range ps.Parties {
		if ps.Parties[i].Label == po.label {
			recParty = &ps.Parties[i]
		}
	}
	recStatus := call.PartyStatus("")
	if recParty != nil {
		recStatus = recParty.Status
	}
	_, joined := h.tr.joinedAt(callerTask, po.label)
	ring := h.cfg.RingTimeout
	// The party's ring timeout runs from its creation, which the record
	// keeps in whole seconds, after the first click on the request.
	deadline := po.request.first.Add(ring - time.Second)

	if c.Class == NumberAddedRemoved {
		j.outcome = "number " + string(recStatus)
		if recStatus == call.PartyFailed || recStatus == call.PartyNoAnswer {
			// The product gave up on the number (its dial failed, or its
			// set-up was taken over): refused, if the panel said so and the
			// number never joined.
			if joined {
				j.mismatch = append(j.mismatch, fmt.Sprintf("a number ended %q joined the call", recStatus))
			}
			if po.seen != recStatus {
				j.untold = append(j.untold, fmt.Sprintf("the transferrer's panel showed the %s number %q", recStatus, po.seen))
			}
			return j
		}
		switch {
		case !joined:
			j.mismatch = append(j.mismatch, "the number never joined")
		case recStatus != call.PartyLeft && !po.endRefused:
			j.mismatch = append(j.mismatch, fmt.Sprintf("the number ended %q, scripted removed (left)", recStatus))
		}
		switch {
		case !po.joinSeen:
			j.untold = append(j.untold, "the transferrer's panel never showed the number joined")
		case po.seen != call.PartyLeft && !po.endRefused:
			j.untold = append(j.untold, fmt.Sprintf("the transferrer's panel showed the removed number %q", po.seen))
		}
		if po.endRefused {
			j.outcome += " (remove refused)"
		}
		return j
	}

	tstatus := taskStatus[po.label]
	j.outcome = "target " + string(tstatus)
	accepts := c.Class.targetAccepts()
	late := false
	if accepts {
		late = po.accepted.IsZero() || !po.accepted.Before(deadline.Add(-time.Second))
	} else {
		late = po.targetAct == nil || !po.targetAct.done.Before(deadline)
	}
	if recStatus == call.PartyFailed {
		// The product gave up on the transfer after answering it (its
		// set-up was taken over and failed, or the target's answer never
		// joined): scripted as refused when the panel said so and no
		// target joined.
		j.outcome = "failed: target " + string(tstatus)
		if joined {
			j.mismatch = append(j.mismatch, "a failed target joined the call")
		}
		if po.seen != call.PartyFailed {
			j.untold = append(j.untold, fmt.Sprintf("the transferrer's panel showed the failed target %q", po.seen))
		}
		return j
	}
	if late && recStatus == call.PartyNoAnswer {
		j.outcome = "late: target " + string(tstatus)
		if tstatus != call.StatusNoAnswer {
			j.mismatch = append(j.mismatch, fmt.Sprintf("the party is no-answer, its task says %q", tstatus))
		}
		if joined {
			j.mismatch = append(j.mismatch, "a target not answered joined the call")
		}
		if po.seen != call.PartyNoAnswer {
			j.untold = append(j.untold, fmt.Sprintf("the transferrer's panel showed the unanswered target %q", po.seen))
		}
		return j
	}
	if len(perLabel) == 0 || perLabel[po.label] == 0 {
		j.mismatch = append(j.mismatch, "no target task for "+po.label)
	}
	if !accepts {
		if tstatus != call.StatusDeclined || recStatus != call.PartyDeclined {
			j.mismatch = append(j.mismatch, fmt.Sprintf("target task %q, party %q; scripted declined", tstatus, recStatus))
		}
		if joined {
			j.mismatch = append(j.mismatch, "the target declined, yet joined the call")
		}
		if po.seen != call.PartyDeclined {
			j.untold = append(j.untold, fmt.Sprintf("the transferrer's panel showed the declined target %q", po.seen))
		}
		return j
	}
	if !joined {
		j.mismatch = append(j.mismatch, "the target accepted but never joined the call")
	}
	if tstatus != call.StatusEnded {
		j.mismatch = append(j.mismatch, fmt.Sprintf("target task %q, scripted ended", tstatus))
	}
	if !po.joinSeen {
		j.untold = append(j.untold, "the transferrer's panel never showed the target joined")
	}
	switch {
	case po.endRefused:
		j.outcome += " (" + string(po.end.action) + " refused)"
	case c.Class.transferrerLeaves() && !po.left:
		j.untold = append(j.untold, "the transferrer's Flex never showed the call over for them")
	case c.Class == TransferWarmCanceled:
		if recStatus != call.PartyLeft {
			j.mismatch = append(j.mismatch, fmt.Sprintf("the canceled target's party is %q, scripted left", recStatus))
		}
		if po.seen != call.PartyLeft {
			j.untold = append(j.untold, fmt.Sprintf("the transferrer's panel showed the canceled target %q", po.seen))
		}
	}
	return j
}
