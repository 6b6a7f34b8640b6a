package chaos

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// The party classes: an answered agent call into which one of the pair (the
// transferrer) brings a third party — an agent, by a cold or warm transfer,
// or an external number — through the product's transfer and participants
// API, as the participants panel does. Every party's part is scripted; what
// the transferrer learns is what their panel shows (GET participants) and
// what their own task says.

// Actions of the transfer and participants API, as the API refusals count them.
const (
	actTransfer     call.CallAction = "transfer"
	actComplete     call.CallAction = "transfer-complete"
	actCancel       call.CallAction = "transfer-cancel"
	actAddNumber    call.CallAction = "add-number"
	actRemove       call.CallAction = "remove-participant"
	actParticipants call.CallAction = "participants"
	// participantsEvery bounds how often a panel asks (each GET runs
	// several Twilio requests; TaskRouter's events for the agent wake it
	// sooner).
	participantsEvery = time.Second
)

// partyObs is what the harness saw of a party class's third party.
type partyObs struct {
	label      string     // the party's label, once the product named it
	request    *actResult // the transfer or the added number
	refused    bool       // the request was answered with an error and nothing is in progress
	targetTask string
	offered    time.Time // the target's offer was seen
	accepted   time.Time // the target's reservation.call went through
	targetAct  *actResult
	end        *actResult // complete, cancel or remove
	endRefused bool
	// seen is the party's last status on the transferrer's panel; joinSeen
	// that it showed the party joined.
	seen     call.PartyStatus
	joinSeen bool
	// left: the transferrer's own task showed the call ended for them while
	// it went on (a cold or completed transfer).
	left bool
}

// partyAgent is one party of a party class's call: their agent and task.
type partyAgent struct {
	role  call.Role
	agent *Agent
	task  string
}

func (c *Call) party(role call.Role) partyAgent {
	o := &c.obs
	o.mu.Lock()
	defer o.mu.Unlock()
	switch role {
	case call.RoleCaller:
		return partyAgent{role, c.Caller, o.callerTask}
	case call.RoleCallee:
		return partyAgent{role, c.Callee, o.calleeTask}
	}
	return partyAgent{role, c.Target, o.party.targetTask}
}

// otherOf is the original party who is not the transferrer.
func (c *Call) otherOf() call.Role {
	if c.Transferrer == call.RoleCaller {
		return call.RoleCallee
	}
	return call.RoleCaller
}

// labelOf is the participant label of a role (the target's is the product's).
func (c *Call) labelOf(role call.Role) string {
	switch role {
	case call.RoleCaller:
		return call.LabelCaller
	case call.RoleCallee:
		return call.LabelCallee
	}
	c.obs.mu.Lock()
	defer c.obs.mu.Unlock()
	return c.obs.party.label
}

// runParties plays a party class once the callee answered: the pair talks,
// the transferrer brings in the third party, everyone does their part, and
// one of the two left on the call hangs up.
func (h *harness) runParties(ctx context.Context, c *Call, trk *track) {
	o := &c.obs
	tctx, cancel := context.WithTimeout(ctx, h.connectWait())
	defer cancel()
	if !h.waitConnected(tctx, c, trk) {
		return
	}
	// The panel's buttons are there once the transferrer's Flex shows the call connected.
	tr := c.party(c.Transferrer)
	if st := h.waitShown(tctx, tr, call.StatusConnected); st != call.StatusConnected {
		o.note("the transferrer's Flex never showed the call connected (status %q)", st)
		return
	}
	if !sleepCtx(ctx, c.Delay) {
		return
	}
	hanger := c.Hanger
	if c.Class == NumberAddedRemoved {
		h.addAndRemove(ctx, c, tr)
	} else if !h.transfer(ctx, c, tr) && hanger == call.RoleTarget {
		hanger = c.otherOf() // the target never joined: the original pair is left
	}
	o.mu.Lock()
	endRefused := o.party.endRefused
	o.mu.Unlock()
	if endRefused {
		// The call did not change as scripted: all three are on it. The
		// transferrer hangs up first, then the one left of the original pair.
		h.hangUp(ctx, c, tr)
		hanger = c.otherOf()
	}
	h.hangUp(ctx, c, c.party(hanger))
}

// hangUp is a party's hang-up once their Flex shows the call connected and
// they talked for c.Talk.
func (h *harness) hangUp(ctx context.Context, c *Call, p partyAgent) {
	o := &c.obs
	if p.task == "" {
		o.note("%s has no task to hang up", p.role)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, h.cfg.RingTimeout+40*time.Second)
	st := h.waitShown(sctx, p, call.StatusConnected)
	cancel()
	if st != call.StatusConnected {
		o.note("%s's Flex never showed the call connected before the hang-up (status %q)", p.role, st)
	}
	if !sleepCtx(ctx, c.Talk) {
		return
	}
	r := p.agent.act(ctx, p.task, call.ActionHangup)
	o.set(func(o *observed) { o.action = &r })
	if !r.ok() {
		o.note("%s hang-up: %d %s after %d clicks", p.role, r.status, strings.TrimSpace(r.body), r.attempts)
	}
}

// waitShown waits until the party's Flex shows their task with status want
// (or any final status) and returns the last status seen.
func (h *harness) waitShown(ctx context.Context, p partyAgent, want call.Status) call.Status {
	var st call.Status
	p.agent.until(ctx, 500*time.Millisecond, func() bool {
		m, err := p.agent.me(ctx)
		st = m.status(p.task)
		return err == nil && (st == want || st.Final())
	})
	return st
}

// transfer plays a transfer class from the transferrer's click; it reports
// whether the target joined.
func (h *harness) transfer(ctx context.Context, c *Call, tr partyAgent) (joined bool) {
	o := &c.obs
	body := call.APITransfer{Target: c.Target.Contact, Name: c.Target.FullName, Mode: c.Class.mode()}
	var out call.APIPartyOK
	// A refused click may still have started the transfer (its answer
	// lost): the panel says, before clicking again and after the last.
	inProgress := ""
	went := func() bool {
		p, ok := h.panelRetried(ctx, tr)
		if ok && p.Transfer != nil && p.Transfer.By == c.labelOf(tr.role) {
			inProgress = p.Transfer.Label
		}
		return inProgress != ""
	}
	r := tr.agent.clickUnless(ctx, actTransfer, http.MethodPost, call.CallURL(h.env.publicURL, tr.task, call.PathTransfer), body, &out, 0, went)
	label := out.Label
	if !r.ok() && (inProgress != "" || went()) {
		label = inProgress
	}
	o.set(func(o *observed) { o.party.request, o.party.label, o.party.refused = &r, label, label == "" })
	if label == "" {
		o.note("transfer refused: %d %s after %d clicks", r.status, strings.TrimSpace(r.body), r.attempts)
		return false
	}

	// The target's part: answer or decline the offer.
	offerCtx, cancel := context.WithTimeout(ctx, h.cfg.RingTimeout+30*time.Second)
	off, err := c.Target.waitOffer(offerCtx, isTargetOf(tr.callerTask(c), label))
	cancel()
	if err != nil {
		o.note("the target was never offered the transfer: %v", err)
	} else {
		o.set(func(o *observed) { o.party.targetTask, o.party.offered = off.TaskSid, time.Now() })
		if c.Class.targetAccepts() {
			if err := c.Target.callReservation(ctx, off.ResSid, off.TaskSid, off.calleeTwiMLURL(h.env.publicURL)); err != nil {
				o.note("target: %v", err)
			} else {
				o.set(func(o *observed) { o.party.accepted = time.Now() })
			}
		} else if sleepCtx(ctx, c.Think) {
			r := c.Target.act(ctx, off.TaskSid, call.ActionReject)
			o.set(func(o *observed) { o.party.targetAct = &r })
			if !r.ok() {
				o.note("target's decline: %d %s after %d clicks", r.status, strings.TrimSpace(r.body), r.attempts)
			}
		}
	}

	// The transferrer's panel shows how the offer went.
	st := h.watchParty(ctx, c, tr, label, func(s call.PartyStatus) bool { return s != call.PartyRinging })
	if st != call.PartyJoined {
		return false
	}
	switch c.Class {
	case TransferColdAccepted:
		h.watchLeft(ctx, c, tr)
	case TransferWarmCompleted, TransferWarmCanceled:
		if !sleepCtx(ctx, c.Think) {
			return true
		}
		path, action := call.PathTransferComplete, actComplete
		if c.Class == TransferWarmCanceled {
			path, action = call.PathTransferCancel, actCancel
		}
		r := tr.agent.click(ctx, action, http.MethodPost, call.CallURL(h.env.publicURL, tr.task, path), nil, nil, 0)
		o.set(func(o *observed) { o.party.end = &r })
		done := r.ok()
		if c.Class == TransferWarmCompleted {
			// A retried complete that went through took the transferrer off.
			done = h.watchLeft(ctx, c, tr) || done
		} else {
			done = h.watchParty(ctx, c, tr, label, call.PartyStatus.Final) == call.PartyLeft || done
		}
		if !done {
			o.note("%s refused: %d %s after %d clicks", action, r.status, strings.TrimSpace(r.body), r.attempts)
			o.set(func(o *observed) { o.party.endRefused = true })
		}
	}
	return true
}

// callerTask is the call's record (the caller's task).
func (p partyAgent) callerTask(c *Call) string {
	c.obs.mu.Lock()
	defer c.obs.mu.Unlock()
	return c.obs.callerTask
}

// watchLeft waits until the transferrer's Flex shows the call over for
// them while it goes on — their task in wrap-up (or completed, or with a
// final status) — and reports whether it did. (The caller's task is the
// call's record: its status stays connected while the call goes on, so for
// a caller who transferred, wrap-up is the sign.)
func (h *harness) watchLeft(ctx context.Context, c *Call, tr partyAgent) bool {
	wctx, cancel := context.WithTimeout(ctx, h.cfg.RingTimeout+40*time.Second)
	defer cancel()
	var st call.Status
	left := tr.agent.until(wctx, 500*time.Millisecond, func() bool {
		m, err := tr.agent.me(wctx)
		if err != nil {
			return false
		}
		st = m.status(tr.task)
		return st.Final() || m.assignment(tr.task) != taskrouter.StatusAssigned
	})
	if left {
		c.obs.set(func(o *observed) { o.party.left = true })
	} else {
		c.obs.note("the transferrer's Flex never showed the call over for them (status %q)", st)
	}
	return left
}

// addAndRemove plays number-added-removed from the transferrer's click.
func (h *harness) addAndRemove(ctx context.Context, c *Call, tr partyAgent) {
	o := &c.obs
	var out call.APIPartyOK
	u := call.CallURL(h.env.publicURL, tr.task, call.PathParticipants)
	// As for a transfer: a number being dialled or in despite a refusal.
	inProgress := ""
	went := func() bool {
		if p, ok := h.panelRetried(ctx, tr); ok {
			for _, x := range p.Participants {
				if x.Kind == call.PartyExternal && !x.Status.Final() {
					inProgress = x.Label
				}
			}
		}
		return inProgress != ""
	}
	r := tr.agent.clickUnless(ctx, actAddNumber, http.MethodPost, u, call.APIAddParticipant{Number: c.Number}, &out, 0, went)
	label := out.Label
	if !r.ok() && (inProgress != "" || went()) {
		label = inProgress
	}
	o.set(func(o *observed) { o.party.request, o.party.label, o.party.refused = &r, label, label == "" })
	if label == "" {
		o.note("add number refused: %d %s after %d clicks", r.status, strings.TrimSpace(r.body), r.attempts)
		return
	}
	if h.watchParty(ctx, c, tr, label, func(s call.PartyStatus) bool { return s != call.PartyRinging }) != call.PartyJoined {
		return
	}
	if !sleepCtx(ctx, c.Think) {
		return
	}
	rm := tr.agent.click(ctx, actRemove, http.MethodDelete, u+"/"+label, nil, nil, 0)
	o.set(func(o *observed) { o.party.end = &rm })
	if st := h.watchParty(ctx, c, tr, label, call.PartyStatus.Final); st != call.PartyLeft && !rm.ok() {
		o.note("remove refused: %d %s after %d clicks", rm.status, strings.TrimSpace(rm.body), rm.attempts)
		o.set(func(o *observed) { o.party.endRefused = true })
	}
}

// watchParty polls the transferrer's panel until the party's status
// satisfies done (bounded) and returns the last status it showed.
func (h *harness) watchParty(ctx context.Context, c *Call, tr partyAgent, label string, done func(call.PartyStatus) bool) call.PartyStatus {
	wctx, cancel := context.WithTimeout(ctx, h.cfg.RingTimeout+40*time.Second)
	defer cancel()
	var st call.PartyStatus
	tr.agent.until(wctx, participantsEvery, func() bool {
		p, ok := h.panel(wctx, tr)
		if !ok {
			return false
		}
		for _, x := range p.Participants {
			if x.Label == label {
				st = x.Status
			}
		}
		return done(st)
	})
	c.obs.set(func(o *observed) {
		o.party.seen = st
		o.party.joinSeen = o.party.joinSeen || st == call.PartyJoined
	})
	if !done(st) {
		c.obs.note("the transferrer's panel never moved on from %s %q", label, st)
	}
	return st
}

// panel is one GET participants of the agent's panel.
func (h *harness) panel(ctx context.Context, p partyAgent) (call.APIParticipants, bool) {
	var out call.APIParticipants
	st, _, err := doJSON(ctx, p.agent.api, http.MethodGet, call.CallURL(h.env.publicURL, p.task, call.PathParticipants), p.agent.Token, nil, &out)
	if err != nil || st != http.StatusOK {
		h.countAPIError(actParticipants, st)
		return out, false
	}
	return out, true
}

// panelRetried is the agent's panel, read again after a refusal (at most a
// few times): deciding whether to click again needs an answer.
func (h *harness) panelRetried(ctx context.Context, p partyAgent) (call.APIParticipants, bool) {
	for range 5 {
		if out, ok := h.panel(ctx, p); ok {
			return out, true
		}
		if !sleepCtx(ctx, time.Second) {
			break
		}
	}
	return call.APIParticipants{}, false
}

// isTargetOf accepts the offer of a transfer's target task: role target,
// of the call's record, with the party's label.
func isTargetOf(callerTask, label string) func(string, call.Attributes) bool {
	return func(_ string, a call.Attributes) bool {
		ic := a.InternalCall
		return ic != nil && ic.Role == call.RoleTarget && ic.CallerTaskSid == callerTask && partyLabel(a) == label
	}
}

// partyLabel is a target task's own participant label.
func partyLabel(a call.Attributes) string {
	var s call.PartyState
	if raw, ok := a.Extra[call.PartiesKey]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s.Label
}

// String is the party's outcome as the class outcomes count it.
func (p *partyObs) String() string {
	if p.refused {
		return "refused"
	}
	return fmt.Sprintf("%s %s", p.label, p.seen)
}
