package chaos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// observed is what the harness saw of a call while driving it.
type observed struct {
	mu         sync.Mutex
	callerTask string
	click      time.Time
	trigger    time.Time // declined: offer seen; cancel-while-ringing: ringback seen
	accepted   time.Time // answered: the callee's reservation.call went through
	action     *actResult
	member     *Agent // queue calls: the member who answered
	calleeTask string
	ended      time.Time // the caller's Flex showed a final status
	notes      []string
	rejected   atomic.Bool // queue-reject-then-answered: the first offer was declined
	party      partyObs    // the party classes' third party
}

func (o *observed) note(format string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.notes = append(o.notes, fmt.Sprintf(format, args...))
}

func (o *observed) set(f func(o *observed)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f(o)
}

// harness drives the agents of one run.
type harness struct {
	cfg     Config
	env     *env
	sd      twiliosim.Seeded
	simHTTP *http.Client
	tr      *tracker
	plan    *plan

	byWorker map[string]*Agent // written before the run, then read only
	byTask   sync.Map          // caller task SID → *Call

	apiErr apiErrors

	mu      sync.Mutex
	errs    []string // harness (not product) failures
	restart RestartReport
	t0      time.Time

	placed, connected, ended atomic.Int64
}

func (h *harness) harnessError(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.errs = append(h.errs, fmt.Sprintf(format, args...))
}

func (h *harness) progress(format string, args ...any) {
	if h.cfg.Progress != nil {
		fmt.Fprintf(h.cfg.Progress, "chaos: "+format+"\n", args...)
	}
}

// Run runs the chaos scenario cfg and judges the simulator's state after it.
// When ctx ends first, it stops driving the agents, judges what there is and
// returns the result with an error saying so.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	begin := time.Now()
	p := newPlan(cfg)
	e, err := startEnv(cfg, p, logger(cfg.Log))
	if err != nil {
		return nil, fmt.Errorf("chaos: start: %w", err)
	}
	defer e.close()
	h := &harness{cfg: cfg, env: e, sd: e.seeded(), tr: newTracker(), plan: p, byWorker: map[string]*Agent{},
		simHTTP: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
			DialContext:  (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns: 2048, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 30 * time.Second,
		}}}
	stopV := e.sim.Voice.Subscribe(h.tr.on)
	defer stopV()

	h.progress("seed %d: %d calls, %d agents (%d queue members), faults %s, ring timeout %v; simulator and replicas up (%v)",
		cfg.Seed, len(p.calls), p.pairAgents+p.members, p.members, cfg.Faults, cfg.RingTimeout, time.Since(begin).Round(time.Millisecond))
	agents, members, err := h.signIn(ctx)
	defer func() {
		h.simHTTP.CloseIdleConnections()
		for _, a := range h.byWorker {
			a.api.CloseIdleConnections()
		}
	}()
	if err != nil {
		return nil, fmt.Errorf("chaos: %w", err)
	}
	// TaskRouter's events for an agent wake its polls, as the SDK's push
	// channel tells a Flex page something changed.
	stopTR := e.sim.TaskRouter.Subscribe(h.sd.WorkspaceSid, "", func(ev taskrouter.Event) {
		if a := h.byWorker[ev.WorkerSid]; a != nil {
			select {
			case a.wake <- struct{}{}:
			default:
			}
		}
	})
	defer stopTR()
	k := 0
	for _, c := range p.calls {
		c.Caller = agents[k]
		k++
		if !c.Class.queue() {
			c.Callee = agents[k]
			k++
		}
		if c.Class.transfer() {
			c.Target = agents[k]
			k++
		}
	}
	h.progress("%d agents signed in, dialpads loaded from both replicas (%v)", len(agents)+len(members), time.Since(begin).Round(time.Millisecond))

	mctx, stopMembers := context.WithCancel(ctx)
	var mwg sync.WaitGroup
	for _, m := range members {
		mwg.Go(func() { h.memberLoop(mctx, m) })
	}

	h.t0 = time.Now()
	var wg sync.WaitGroup
	for _, c := range p.calls {
		wg.Go(func() {
			if !sleepCtx(ctx, time.Until(h.t0.Add(c.At))) {
				return
			}
			cctx, cancel := context.WithTimeout(ctx, cfg.RingTimeout+cfg.TalkMax+2*time.Minute)
			defer cancel()
			h.runCall(cctx, c)
		})
	}
	var restartErr error
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		if !sleepCtx(ctx, time.Until(h.t0.Add(cfg.RestartAfter))) {
			return
		}
		h.progress("+%v restarting replica 1", time.Since(h.t0).Round(time.Millisecond))
		rep, err := e.restart(1, cfg.RestartDown)
		rep.AtMs = cfg.RestartAfter.Milliseconds()
		h.mu.Lock()
		h.restart = rep
		h.mu.Unlock()
		restartErr = err
		h.progress("+%v replica 1 back on %s (down %d ms, shutdown %d ms%s)", time.Since(h.t0).Round(time.Millisecond),
			rep.Addr, rep.DownMs, rep.ShutdownMs, errSuffix(rep.ShutdownError))
	}()
	ticker := h.tick(ctx)
	wg.Wait()
	<-restarted
	stopMembers()
	mwg.Wait()
	ticker()
	if restartErr != nil {
		h.harnessError("%v", restartErr)
	}

	h.progress("+%v every script done; settling (at most %v)", time.Since(h.t0).Round(time.Millisecond), cfg.Settle)
	h.settle(ctx)
	res := h.analyze()
	res.DurationMs = time.Since(begin).Milliseconds()
	if ctx.Err() != nil {
		res.TimedOut = true
		return res, fmt.Errorf("chaos: stopped before the end: %w", ctx.Err())
	}
	return res, nil
}

func errSuffix(s string) string {
	if s == "" {
		return ""
	}
	return ", " + s
}

// tick prints progress until the returned stop is called.
func (h *harness) tick(ctx context.Context) (stop func()) {
	if h.cfg.Progress == nil || h.cfg.ProgressEvery <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(h.cfg.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				h.progress("+%v placed %d/%d, connected %d, ended %d",
					time.Since(h.t0).Round(time.Second), h.placed.Load(), len(h.plan.calls), h.connected.Load(), h.ended.Load())
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// signIn logs every agent in and loads their dialpads.
func (h *harness) signIn(ctx context.Context) (agents, members []*Agent, err error) {
	names := make([]string, 0, h.plan.pairAgents+h.plan.members)
	for i := 1; i <= h.plan.pairAgents; i++ {
		names = append(names, fmt.Sprintf("agent%d", i))
	}
	for i := 1; i <= h.plan.members; i++ {
		names = append(names, fmt.Sprintf("member%d", i))
	}
	all := make([]*Agent, len(names))
	errs := make([]error, len(names))
	parallel(len(names), 32, func(i int) {
		all[i], errs[i] = h.login(ctx, names[i], i)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	for _, a := range all {
		h.byWorker[a.WorkerSid] = a
	}
	parallel(len(all), 64, func(i int) { errs[i] = all[i].warmUp(ctx, len(h.env.replicas)) })
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return all[:h.plan.pairAgents], all[h.plan.pairAgents:], nil
}

// parallel runs f(0..n-1) on at most width goroutines.
func parallel(n, width int, f func(i int)) {
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(n, width) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func isCalleeOf(callerTask string) func(string, call.Attributes) bool {
	return func(_ string, a call.Attributes) bool {
		ic := a.InternalCall
		return ic != nil && ic.Role == call.RoleCallee && ic.CallerTaskSid == callerTask
	}
}

// runCall plays one call's script.
func (h *harness) runCall(ctx context.Context, c *Call) {
	o := &c.obs
	target := call.Target{Kind: call.TargetQueue, QueueName: QueueName, Name: QueueName}
	if !c.Class.queue() {
		target = call.Target{Kind: call.TargetAgent, ContactURI: c.Callee.Contact, Name: c.Callee.FullName}
	}
	click := time.Now()
	task, err := c.Caller.createTask(ctx, target)
	if err != nil {
		h.harnessError("%v: %v", c, err)
		return
	}
	o.set(func(o *observed) { o.callerTask, o.click = task, click })
	h.byTask.Store(task, c)
	h.placed.Add(1)
	trk := h.tr.get(task)
	pub := h.env.publicURL

	var side sync.WaitGroup
	defer side.Wait()
	if c.Class == CancelEarly {
		side.Go(func() {
			if sleepCtx(ctx, time.Until(click.Add(c.Delay))) {
				r := c.Caller.act(ctx, task, call.ActionHangup)
				o.set(func(o *observed) { o.action = &r })
			}
		})
	}

	// The bridge accepts the caller's own reservation: reservation.call to the caller TwiML.
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	off, err := c.Caller.waitOffer(wctx, func(sid string, _ call.Attributes) bool { return sid == task })
	cancel()
	switch {
	case err != nil:
		if c.Class != CancelEarly {
			o.note("the caller's own reservation never came: %v", err)
		}
	default:
		if err := c.Caller.callReservation(ctx, off.ResSid, task, call.CallerTwiMLURL(pub, task)); err != nil && c.Class != CancelEarly {
			o.note("caller: %v", err)
		}
	}

	offerCtx, cancelOffer := context.WithTimeout(ctx, 30*time.Second)
	defer cancelOffer()
	switch c.Class {
	case AnsweredCallerHangup, AnsweredCalleeHangup, TransferColdAccepted, TransferColdDeclined,
		TransferWarmCompleted, TransferWarmCanceled, NumberAddedRemoved:
		off, err := c.Callee.waitOffer(offerCtx, isCalleeOf(task))
		if err != nil {
			o.note("callee never offered: %v", err)
			break
		}
		o.set(func(o *observed) { o.calleeTask = off.TaskSid })
		if err := c.Callee.callReservation(ctx, off.ResSid, off.TaskSid, off.calleeTwiMLURL(pub)); err != nil {
			o.note("callee: %v", err)
			break
		}
		o.set(func(o *observed) { o.accepted = time.Now() })
		if c.Class.parties() {
			h.runParties(ctx, c, trk)
		} else {
			h.talkAndHangUp(ctx, c, trk)
		}
	case QueueAnswered, QueueRejectThenAnswered:
		h.talkAndHangUp(ctx, c, trk) // a member answers (memberLoop)
	case Declined:
		off, err := c.Callee.waitOffer(offerCtx, isCalleeOf(task))
		if err != nil {
			o.note("callee never offered: %v", err)
			break
		}
		o.set(func(o *observed) { o.calleeTask, o.trigger = off.TaskSid, time.Now() })
		if sleepCtx(ctx, c.Delay) {
			r := c.Callee.act(ctx, off.TaskSid, call.ActionReject)
			o.set(func(o *observed) { o.action = &r })
		}
	case CancelRinging:
		var st call.Status
		c.Caller.until(offerCtx, 500*time.Millisecond, func() bool {
			m, err := c.Caller.me(offerCtx)
			st = m.status(task)
			return err == nil && (st == call.StatusRinging || st.Final())
		})
		if st != call.StatusRinging {
			o.note("the caller never heard ringback (status %q)", st)
			break
		}
		o.set(func(o *observed) { o.trigger = time.Now() })
		if sleepCtx(ctx, c.Delay) {
			r := c.Caller.act(ctx, task, call.ActionHangup)
			o.set(func(o *observed) { o.action = &r })
		}
	case NoAnswer, CancelEarly:
		// The callee lets it ring.
	}

	// The outcome, as the caller's Flex shows it: a final internal_call.status.
	fctx, cancelFinal := context.WithTimeout(ctx, h.cfg.RingTimeout+40*time.Second)
	defer cancelFinal()
	if !c.Caller.until(fctx, 500*time.Millisecond, func() bool { return h.callerStatus(task).Final() }) {
		o.note("the caller's task never showed a final status (last %q)", h.callerStatus(task))
	}
	o.set(func(o *observed) { o.ended = time.Now() })
	h.ended.Add(1)
	side.Wait()

	// Wrap-up: each agent completes the task they were assigned.
	h.finish(ctx, c.Caller, task, 20*time.Second)
	o.mu.Lock()
	calleeTask, targetTask := o.calleeTask, o.party.targetTask
	o.mu.Unlock()
	if !c.Class.queue() && calleeTask != "" {
		h.finish(ctx, c.Callee, calleeTask, 20*time.Second)
	}
	if targetTask != "" {
		h.finish(ctx, c.Target, targetTask, 20*time.Second)
	}
}

// connectWait is how long the agents wait for a call to connect: as long as
// the caller waits for the call's outcome.
func (h *harness) connectWait() time.Duration { return h.cfg.RingTimeout + 40*time.Second }

// waitConnected waits for the call to connect (and counts it) until ctx
// ends; false when it never did.
func (h *harness) waitConnected(ctx context.Context, c *Call, trk *track) bool {
	select {
	case <-trk.connected:
	case <-ctx.Done():
		c.obs.note("never connected")
		return false
	}
	h.connected.Add(1)
	return true
}

// talkAndHangUp waits until both legs are in, lets them talk, and hangs up
// as the script says.
//
// It waits as long as the caller waits for the call's outcome: on a starved
// machine a call has connected 31 s after the answer, and a fixed 30 s left
// it up with nobody to hang up.
func (h *harness) talkAndHangUp(ctx context.Context, c *Call, trk *track) {
	o := &c.obs
	tctx, cancel := context.WithTimeout(ctx, h.connectWait())
	defer cancel()
	if !h.waitConnected(tctx, c, trk) {
		return
	}
	o.mu.Lock()
	task, calleeTask, callee := o.callerTask, o.calleeTask, c.Callee
	if o.member != nil {
		callee = o.member
	}
	o.mu.Unlock()
	if h.cfg.TalkWhenShown {
		hanger, hangerTask := c.Caller, task
		if c.Hanger == call.RoleCallee {
			hanger, hangerTask = callee, calleeTask
		}
		var st call.Status
		hanger.until(tctx, 500*time.Millisecond, func() bool {
			m, err := hanger.me(tctx)
			st = m.status(hangerTask)
			return err == nil && (st == call.StatusConnected || st.Final())
		})
		if st != call.StatusConnected {
			o.note("%s's Flex never showed the call connected (status %q)", c.Hanger, st)
		}
	}
	if !sleepCtx(ctx, c.Talk) {
		return
	}
	var r actResult
	if c.Hanger == call.RoleCaller {
		r = c.Caller.act(ctx, task, call.ActionHangup)
	} else {
		r = callee.act(ctx, calleeTask, call.ActionHangup)
	}
	o.set(func(o *observed) { o.action = &r })
	if r.status/100 != 2 {
		o.note("%s hang-up: %d %s after %d clicks", c.Hanger, r.status, strings.TrimSpace(r.body), r.attempts)
	}
}

// memberLoop is a queue member: answer what the queue offers (declining the
// first offer of a queue-reject-then-answered call), complete the wrap-up, again.
func (h *harness) memberLoop(ctx context.Context, a *Agent) {
	isQueueCall := func(_ string, at call.Attributes) bool {
		return at.InternalCall != nil && at.InternalCall.Role == call.RoleCallee && at.CallToQueue == QueueName
	}
	for {
		off, err := a.waitOffer(ctx, isQueueCall)
		if err != nil {
			return
		}
		c := h.callOf(off.Attrs.InternalCall.CallerTaskSid)
		if c == nil {
			h.harnessError("%s offered %s of unknown caller task %s", a.Name, off.TaskSid, off.Attrs.InternalCall.CallerTaskSid)
		}
		if c != nil && c.Class == QueueRejectThenAnswered && c.obs.rejected.CompareAndSwap(false, true) {
			r := a.act(ctx, off.TaskSid, call.ActionReject)
			if r.status/100 != 2 {
				c.obs.note("%s's decline: %d %s", a.Name, r.status, strings.TrimSpace(r.body))
			}
			gone, cancel := context.WithTimeout(ctx, 5*time.Second)
			a.until(gone, 200*time.Millisecond, func() bool {
				m, err := a.me(gone)
				_, still := m.offer(func(sid string, _ call.Attributes) bool { return sid == off.TaskSid })
				return err == nil && !still
			})
			cancel()
			continue
		}
		if c != nil {
			c.obs.set(func(o *observed) { o.member, o.calleeTask = a, off.TaskSid })
		}
		err = a.callReservation(ctx, off.ResSid, off.TaskSid, off.calleeTwiMLURL(h.env.publicURL))
		if c != nil {
			if err != nil {
				c.obs.note("%s: %v", a.Name, err)
			} else {
				c.obs.set(func(o *observed) { o.accepted = time.Now() })
			}
		}
		h.finish(ctx, a, off.TaskSid, h.cfg.RingTimeout+h.cfg.TalkMax+time.Minute)
	}
}

// callOf finds the call of a caller task (registered right after createTask).
func (h *harness) callOf(callerTask string) *Call {
	var c *Call
	waitfor.Until(5*time.Second, func() bool {
		v, ok := h.byTask.Load(callerTask)
		if ok {
			c = v.(*Call)
		}
		return ok
	})
	return c
}

// task reads a task in the simulator (observing, as the agent's SDK would know it).
func (h *harness) task(sid string) (taskrouter.Task, call.Attributes, error) {
	t, err := h.env.sim.TaskRouter.Task(h.sd.WorkspaceSid, sid)
	if err != nil {
		return t, call.Attributes{}, err
	}
	a, err := call.ParseAttributes(t.Attributes)
	return t, a, err
}

func (h *harness) callerStatus(sid string) call.Status {
	_, a, err := h.task(sid)
	if err != nil || a.InternalCall == nil {
		return ""
	}
	return a.InternalCall.Status
}

// finish completes the agent's task once it is in wrap-up (nothing to do
// once it is canceled or completed), waiting at most bound for it.
func (h *harness) finish(ctx context.Context, a *Agent, taskSid string, bound time.Duration) {
	fctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	a.until(fctx, 500*time.Millisecond, func() bool {
		t, _, err := h.task(taskSid)
		if err != nil {
			return true
		}
		switch t.AssignmentStatus {
		case taskrouter.StatusWrapping:
			return a.complete(fctx, taskSid) == nil
		case taskrouter.StatusCanceled, taskrouter.StatusCompleted:
			return true
		}
		return false
	})
}

// settle waits, at most cfg.Settle, for the simulator to be quiet with
// nothing open, completing the wrap-ups agents still have (as agents do).
func (h *harness) settle(ctx context.Context) {
	deadline := time.Now().Add(h.cfg.Settle)
	for {
		h.sweepWrapUps(ctx)
		wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_ = h.env.sim.Wait(wctx)
		cancel()
		if len(openLines(h.env.sim.Check())) == 0 || time.Now().After(deadline) || !sleepCtx(ctx, 500*time.Millisecond) {
			return
		}
	}
}

// sweepWrapUps completes every task an agent has in wrap-up.
func (h *harness) sweepWrapUps(ctx context.Context) {
	for _, ws := range h.env.sim.TaskRouter.Snapshot().Workspaces {
		for _, r := range ws.Reservations {
			if r.ReservationStatus != taskrouter.ResWrapping {
				continue
			}
			if a := h.byWorker[r.WorkerSid]; a != nil {
				if err := a.complete(ctx, r.TaskSid); err != nil {
					h.harnessError("wrap-up sweep: %s: %v", a.Name, err)
				}
			}
		}
	}
}

// openLines are Check's complaints about open tasks, conferences and calls
// (not the TwiML errors, which stay recorded however long one waits).
func openLines(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(err.Error(), "\n")[1:] {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "voice error:") {
			out = append(out, l)
		}
	}
	return out
}
