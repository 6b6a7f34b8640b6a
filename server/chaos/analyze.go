package chaos

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// Result is what a run found. The first eight fields are the published
// bench/results/chaos.json; the rest break them down.
type Result struct {
	Calls                int    `json:"calls"`
	DuplicateCalleeTasks int    `json:"duplicate_callee_tasks"`
	LostOrOpenCalls      int    `json:"lost_or_open_calls"`
	FailedWithoutReason  int    `json:"failed_without_reason"`
	OutcomeMismatches    int    `json:"outcome_mismatches"`
	ConnectMsP50         int64  `json:"connect_ms_p50"`
	ConnectMsP95         int64  `json:"connect_ms_p95"`
	Seed                 uint64 `json:"seed"`

	Agents             int                    `json:"agents"`
	MaxConcurrentCalls int                    `json:"max_concurrent_calls"`
	ConnectedCalls     int                    `json:"connected_calls"`
	ConnectMsMax       int64                  `json:"connect_ms_max"`
	DurationMs         int64                  `json:"duration_ms"`
	RingTimeoutMs      int64                  `json:"ring_timeout_ms"`
	Faults             string                 `json:"faults"`
	Classes            map[Class]*ClassResult `json:"classes"`
	LateActions        int                    `json:"late_actions"` // went through only after the ring timeout could have ended the call
	// DuplicateTargetTasks: transfer target tasks beyond one per transfer.
	DuplicateTargetTasks int            `json:"duplicate_target_tasks"`
	Restart              RestartReport  `json:"restart"`
	Proxy                ProxyStats     `json:"proxy"`
	Injected             faults.Stats   `json:"injected"`
	APIRefusals          map[string]int `json:"api_refusals"`
	VoiceErrors          []string       `json:"voice_errors,omitempty"`
	OpenAtEnd            []string       `json:"open_at_end,omitempty"`
	HarnessErrors        []string       `json:"harness_errors,omitempty"`
	Problems             []Problem      `json:"problems,omitempty"`
	TimedOut             bool           `json:"timed_out,omitempty"`
}

// ClassResult breaks the counts down by what the agents did.
type ClassResult struct {
	Calls               int            `json:"calls"`
	Outcomes            map[string]int `json:"outcomes"` // final caller status → calls
	DuplicateCalleeTask int            `json:"duplicate_callee_tasks"`
	LostOrOpen          int            `json:"lost_or_open"`
	FailedWithoutReason int            `json:"failed_without_reason"`
	Mismatches          int            `json:"outcome_mismatches"`
	ConnectMsP50        int64          `json:"connect_ms_p50,omitempty"`
	ConnectMsP95        int64          `json:"connect_ms_p95,omitempty"`
	// The party classes: the third party's outcome → calls, and target
	// tasks beyond one per transfer.
	PartyOutcomes       map[string]int `json:"party_outcomes,omitempty"`
	DuplicateTargetTask int            `json:"duplicate_target_tasks,omitempty"`
}

// Problem is one call that went wrong, with what the simulator's state said.
type Problem struct {
	Call        int         `json:"call"`
	Class       Class       `json:"class"`
	Kinds       []string    `json:"kinds"`
	Caller      string      `json:"caller"`
	Callee      string      `json:"callee,omitempty"`
	CallerTask  TaskState   `json:"caller_task"`
	CalleeTasks []TaskState `json:"callee_tasks,omitempty"`
	Target      string      `json:"target,omitempty"`
	TargetTasks []TaskState `json:"target_tasks,omitempty"`
	Conferences []string    `json:"conferences,omitempty"`
	CallerLegs  []string    `json:"caller_legs,omitempty"`
	Action      string      `json:"action,omitempty"`
	Notes       []string    `json:"notes,omitempty"`
}

// TaskState is a task as the simulator holds it.
type TaskState struct {
	Sid        string `json:"sid"`
	Assignment string `json:"assignment"`
	Status     string `json:"status"`
	Reason     string `json:"reason,omitempty"`
	Sealed     bool   `json:"sealed"`
	Offers     string `json:"reservations,omitempty"`
}

// Failed reports whether any count that must be zero is not.
func (r *Result) Failed() bool {
	return r.DuplicateCalleeTasks+r.DuplicateTargetTasks+r.LostOrOpenCalls+r.FailedWithoutReason+r.OutcomeMismatches > 0
}

// analyze judges every call from the simulator's state.
func (h *harness) analyze() *Result {
	cfg := h.cfg
	res := &Result{Calls: len(h.plan.calls), Seed: cfg.Seed, Agents: h.plan.pairAgents + h.plan.members,
		RingTimeoutMs: cfg.RingTimeout.Milliseconds(), Faults: cfg.Faults.String(), Classes: map[Class]*ClassResult{},
		Proxy: h.env.proxy.Stats(), Injected: h.env.sim.Faults().Stats()}
	h.mu.Lock()
	res.Restart = h.restart
	res.HarnessErrors = append([]string(nil), h.errs...)
	h.mu.Unlock()
	h.apiErr.mu.Lock()
	res.APIRefusals = map[string]int{}
	for k, v := range h.apiErr.m {
		res.APIRefusals[k] = v
	}
	h.apiErr.mu.Unlock()
	for _, cl := range Classes() {
		res.Classes[cl] = &ClassResult{Outcomes: map[string]int{}}
		if cl.parties() {
			res.Classes[cl].PartyOutcomes = map[string]int{}
		}
	}

	var ws taskrouter.WorkspaceState
	for _, w := range h.env.sim.TaskRouter.Snapshot().Workspaces {
		if w.Workspace.Sid == h.sd.WorkspaceSid {
			ws = w
		}
	}
	tasks := map[string]taskrouter.Task{}
	callees := map[string][]taskrouter.Task{} // caller task → callee tasks
	targets := map[string][]taskrouter.Task{} // caller task → transfer target tasks
	for _, t := range ws.Tasks {
		tasks[t.Sid] = t
		a, err := call.ParseAttributes(t.Attributes)
		if err != nil || a.InternalCall == nil {
			continue
		}
		switch a.InternalCall.Role {
		case call.RoleCallee:
			callees[a.InternalCall.CallerTaskSid] = append(callees[a.InternalCall.CallerTaskSid], t)
		case call.RoleTarget:
			targets[a.InternalCall.CallerTaskSid] = append(targets[a.InternalCall.CallerTaskSid], t)
		}
	}
	resOf := map[string][]taskrouter.Reservation{}
	for _, r := range ws.Reservations {
		resOf[r.TaskSid] = append(resOf[r.TaskSid], r)
	}
	confs := map[string][]voice.Conference{}
	for _, cf := range h.env.sim.Voice.Conferences() {
		if ct, _, ok := strings.Cut(cf.FriendlyName, "-"); ok {
			confs[ct] = append(confs[ct], cf)
		}
	}
	legsTo := map[string][]voice.Call{}
	var openLegs []voice.Call
	for _, c := range h.env.sim.Voice.Calls() {
		legsTo[c.To] = append(legsTo[c.To], c)
		if legOpen(c.Status) {
			openLegs = append(openLegs, c)
		}
	}
	// Open legs belong to the call whose conference they joined, else to
	// the call of the agent they ring.
	openLegOf := map[string][]string{}
	agentCall := map[string]string{} // contact → caller task (agents of one call only)
	for _, c := range h.plan.calls {
		if c.obs.callerTask == "" {
			continue
		}
		agentCall[c.Caller.Contact] = c.obs.callerTask
		if c.Callee != nil {
			agentCall[c.Callee.Contact] = c.obs.callerTask
		}
		if c.Target != nil {
			agentCall[c.Target.Contact] = c.obs.callerTask
		}
		if c.Class == NumberAddedRemoved {
			agentCall[c.Number] = c.obs.callerTask
		}
	}
	for _, l := range openLegs {
		ct, ok := h.tr.legCall(l.Sid)
		if !ok {
			ct = agentCall[l.To]
		}
		openLegOf[ct] = append(openLegOf[ct], fmt.Sprintf("%s to %s is %s", l.Sid, l.To, l.Status))
	}

	var connects []time.Duration
	classConnects := map[Class][]time.Duration{}
	type span struct{ from, to time.Time }
	var spans []span
	for _, c := range h.plan.calls {
		cr := res.Classes[c.Class]
		cr.Calls++
		o := &c.obs
		o.mu.Lock()
		callerTask, click, ended, action, accepted := o.callerTask, o.click, o.ended, o.action, o.accepted
		member, notes := o.member, append([]string(nil), o.notes...)
		o.mu.Unlock()
		if callerTask == "" {
			continue // never placed: a harness error, listed as such
		}
		if !ended.IsZero() {
			spans = append(spans, span{click, ended})
		}
		p := Problem{Call: c.ID, Class: c.Class, Caller: c.Caller.Name, Notes: notes}
		if c.Callee != nil {
			p.Callee = c.Callee.Name
		} else if member != nil {
			p.Callee = member.Name
		}
		ct := tasks[callerTask]
		ca, _ := call.ParseAttributes(ct.Attributes)
		p.CallerTask = taskState(ct, ca, resOf)
		status, reason := call.Status(""), ""
		if ca.InternalCall != nil {
			status, reason = ca.InternalCall.Status, ca.InternalCall.Reason
		}
		cr.Outcomes[string(status)]++
		if action != nil {
			p.Action = fmt.Sprintf("%d after %d click(s), %v after the first", action.status, action.attempts,
				action.done.Sub(action.first).Round(time.Millisecond))
		}

		// Duplicate callee tasks.
		cts := callees[callerTask]
		for _, t := range cts {
			a, _ := call.ParseAttributes(t.Attributes)
			p.CalleeTasks = append(p.CalleeTasks, taskState(t, a, resOf))
		}
		if n := len(cts) - 1; n > 0 {
			res.DuplicateCalleeTasks += n
			cr.DuplicateCalleeTask += n
			p.Kinds = append(p.Kinds, fmt.Sprintf("%d callee tasks", len(cts)))
		}

		// Lost or left open.
		var open []string
		if !status.Final() {
			open = append(open, fmt.Sprintf("caller task status %q is not final", status))
		}
		if taskOpen(ct.AssignmentStatus) {
			open = append(open, "caller task "+ct.AssignmentStatus)
		}
		for _, t := range cts {
			if taskOpen(t.AssignmentStatus) {
				open = append(open, "callee task "+t.Sid+" "+t.AssignmentStatus)
			}
		}
		for _, cf := range confs[callerTask] {
			p.Conferences = append(p.Conferences, fmt.Sprintf("%s %s (%d participants)", cf.Sid, cf.Status, len(cf.Participants)))
			if cf.Status != "completed" {
				open = append(open, "conference "+cf.Sid+" "+cf.Status)
			}
		}
		for _, l := range openLegOf[callerTask] {
			open = append(open, "leg "+l)
		}
		var pj partyJudgement
		if c.Class.parties() {
			pj = h.judgeParty(c, callerTask, ca, targets[callerTask], resOf, legsTo, &p)
			open = append(open, pj.open...)
			cr.PartyOutcomes[pj.outcome]++
			if pj.duplicates > 0 {
				res.DuplicateTargetTasks += pj.duplicates
				cr.DuplicateTargetTask += pj.duplicates
				p.Kinds = append(p.Kinds, fmt.Sprintf("%d target tasks beyond one per transfer", pj.duplicates))
			}
		}
		if len(open) > 0 {
			res.LostOrOpenCalls++
			cr.LostOrOpen++
			p.Kinds = append(p.Kinds, "open: "+strings.Join(open, "; "))
		}

		// Failures the caller was not told about: a failed call with no
		// reason, or an unsuccessful one whose answered leg heard nothing
		// before it ended (the product tells it why with <Say>).
		var untold []string
		if status == call.StatusFailed && reason == "" {
			untold = append(untold, "failed with no reason")
		}
		for _, l := range legsTo[c.Caller.Contact] {
			heard := h.tr.heard(l.Sid)
			p.CallerLegs = append(p.CallerLegs, fmt.Sprintf("%s %s answered=%v heard=%q", l.Sid, l.Status, l.StartTime != "", heard))
			if tellsCaller(status) && l.StartTime != "" && !legOpen(l.Status) && len(heard) == 0 && !hungUpThemselves(c.Caller, action, l) {
				untold = append(untold, "caller's leg "+l.Sid+" ended without being told")
			}
		}
		untold = append(untold, pj.untold...)
		if len(untold) > 0 {
			res.FailedWithoutReason++
			cr.FailedWithoutReason++
			p.Kinds = append(p.Kinds, "not told: "+strings.Join(untold, "; "))
		}

		// Outcome against the script. The ring timeout runs from the moment
		// the caller's leg asks for its TwiML, which is after the leg was
		// answered (after the click, if it never was). A decline or cancel
		// that went through before that moment plus the ring timeout decides
		// the outcome; so does an answer (reservation.call) made a second
		// before it (the phone still has to pick up for TaskRouter to
		// accept). An action later than that, or an answer that never came
		// (the offer came too late), raced the ring timeout, and no-answer
		// is right too.
		want := c.Class.expected()
		ringFrom := click
		if at, ok := h.tr.answeredAt(c.Caller.Contact); ok {
			ringFrom = at
		}
		timeout := ringFrom.Add(cfg.RingTimeout)
		late := false
		switch {
		case c.Class == Declined || c.Class == CancelRinging || c.Class == CancelEarly:
			// (A cancel clicked within 2 s whose answer comes after the
			// timeout was still being carried out when the timeout fired.)
			late = action != nil && !action.done.Before(timeout)
		case c.Class.answered():
			late = accepted.IsZero() || !accepted.Before(timeout.Add(-time.Second))
		}
		if late {
			res.LateActions++
			when := "never"
			switch {
			case c.Class.answered() && !accepted.IsZero():
				when = accepted.Sub(ringFrom).Round(time.Millisecond).String()
			case !c.Class.answered():
				when = action.done.Sub(ringFrom).Round(time.Millisecond).String()
			}
			p.Notes = append(p.Notes, fmt.Sprintf("late: the agent's action went through %s after the caller's leg was answered (ring timeout %v)",
				when, cfg.RingTimeout))
			if status == call.StatusNoAnswer {
				want = call.StatusNoAnswer
			}
		}
		var mismatch []string
		if status != want {
			mismatch = append(mismatch, fmt.Sprintf("ended %q, scripted %q", status, want))
		}
		if named := ca.InternalCall; named != nil && named.CalleeTaskSid != "" && status.Final() {
			t := tasks[named.CalleeTaskSid]
			a, _ := call.ParseAttributes(t.Attributes)
			if a.InternalCall == nil || a.InternalCall.Status != status {
				got := call.Status("")
				if a.InternalCall != nil {
					got = a.InternalCall.Status
				}
				mismatch = append(mismatch, fmt.Sprintf("callee task %s says %q", named.CalleeTaskSid, got))
			}
		}
		mismatch = append(mismatch, pj.mismatch...)
		if len(mismatch) > 0 {
			res.OutcomeMismatches++
			cr.Mismatches++
			p.Kinds = append(p.Kinds, "mismatch: "+strings.Join(mismatch, "; "))
		}

		if at, ok := h.tr.connectedAt(callerTask); ok && c.Class.answered() {
			d := at.Sub(click)
			connects = append(connects, d)
			classConnects[c.Class] = append(classConnects[c.Class], d)
		}
		if len(p.Kinds) > 0 {
			res.Problems = append(res.Problems, p)
		}
	}
	res.ConnectedCalls = len(connects)
	res.ConnectMsP50, res.ConnectMsP95 = percentile(connects, 50), percentile(connects, 95)
	res.ConnectMsMax = percentile(connects, 100)
	for cl, ds := range classConnects {
		res.Classes[cl].ConnectMsP50, res.Classes[cl].ConnectMsP95 = percentile(ds, 50), percentile(ds, 95)
	}
	// Peak number of calls between click and outcome at once.
	type edge struct {
		t time.Time
		d int
	}
	var edges []edge
	for _, s := range spans {
		edges = append(edges, edge{s.from, 1}, edge{s.to, -1})
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].t.Equal(edges[j].t) {
			return edges[i].d < edges[j].d
		}
		return edges[i].t.Before(edges[j].t)
	})
	cur := 0
	for _, e := range edges {
		cur += e.d
		res.MaxConcurrentCalls = max(res.MaxConcurrentCalls, cur)
	}
	for _, err := range h.env.sim.Voice.Errors() {
		res.VoiceErrors = append(res.VoiceErrors, err.Error())
	}
	res.OpenAtEnd = openLines(h.env.sim.Check())
	return res
}

func taskState(t taskrouter.Task, a call.Attributes, resOf map[string][]taskrouter.Reservation) TaskState {
	s := TaskState{Sid: t.Sid, Assignment: t.AssignmentStatus}
	if a.InternalCall != nil {
		s.Status, s.Reason, s.Sealed = string(a.InternalCall.Status), a.InternalCall.Reason, a.InternalCall.Seal != ""
	}
	var offers []string
	for _, r := range resOf[t.Sid] {
		offers = append(offers, r.WorkerName+":"+r.ReservationStatus)
	}
	s.Offers = strings.Join(offers, ",")
	return s
}

// tellsCaller: outcomes the caller's leg must hear explained.
// hungUpThemselves reports whether the caller's own hang-up went through and
// was clicked before the leg ended: a caller who hung up needs no message,
// whatever the call's record says it ended as (a ring timeout may have
// decided "no answer" while their click was on its way).
func hungUpThemselves(caller *Agent, a *actResult, leg voice.Call) bool {
	if a == nil || a.by != caller || a.action != call.ActionHangup || a.status/100 != 2 {
		return false
	}
	end, err := time.Parse(time.RFC1123Z, leg.EndTime)
	return err == nil && a.first.Before(end)
}

func tellsCaller(s call.Status) bool {
	return s == call.StatusFailed || s == call.StatusDeclined || s == call.StatusNoAnswer
}

func taskOpen(s string) bool {
	return s == taskrouter.StatusPending || s == taskrouter.StatusReserved || s == taskrouter.StatusAssigned
}

func legOpen(s string) bool { return s == "queued" || s == "ringing" || s == "in-progress" }

// percentile is the nearest-rank percentile in milliseconds (0 for none).
func percentile(ds []time.Duration, p int) int64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	i = max(0, min(i, len(s)-1))
	return s[i].Milliseconds()
}
