package taskrouter

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/expr"
)

const (
	routeDefault = -1 // the workflow's default_filter
	routeDirect  = -2 // a queue or worker named at creation
)

// reasonWorkflowTimeout is the cancel reason when the last routing step
// times out (Twilio fires workflow.timeout and cancels the task).
const reasonWorkflowTimeout = "Workflow Timeout"

// enterWorkflow (re)starts routing of a task: a queue or worker given at
// creation, else the workflow. The caller holds s.mu.
func (s *Service) enterWorkflow(ws *workspace, t *task) {
	wf, _ := ws.workflows.get(t.workflow)
	if t.fixedQueue != "" || strings.HasPrefix(t.routingTarget, "WK") {
		s.stopStep(t)
		t.route.filter, t.route.target = routeDirect, 0
		q := t.fixedQueue
		if q == "" && wf != nil {
			// A worker-targeted task still sits in the queue its workflow
			// picks, which is where reporting looks.
			if fi := wf.cfg.match(t, 0); fi >= 0 {
				q = wf.cfg.filters[fi].targets[0].queue
			} else {
				q = wf.cfg.defaultQueue
			}
		}
		s.setQueue(t, q)
		return
	}
	s.place(ws, t)
}

// place puts a waiting task on the routing step its age selects, as Twilio
// documents: the first filter matching the attributes; within it, step i
// lasts until the task is as old as the sum of the timeouts of steps 0..i (a
// step without timeout lasts forever); skip_if skips a step nobody can take
// now; a filter whose steps are all skipped counts as not matching; no match
// means default_filter; passing the final step cancels the task.
func (s *Service) place(ws *workspace, t *task) {
	s.stopStep(t)
	wf, ok := ws.workflows.get(t.workflow)
	if !ok {
		return
	}
	age := time.Since(t.born)
	for fi := wf.cfg.match(t, 0); fi >= 0; fi = wf.cfg.match(t, fi+1) {
		var elapsed time.Duration
		timedOut := false
		for ti := range wf.cfg.filters[fi].targets {
			tg := &wf.cfg.filters[fi].targets[ti]
			end := elapsed + time.Duration(tg.timeout)*time.Second
			if tg.timeout > 0 && age >= end {
				elapsed, timedOut = end, true
				continue
			}
			timedOut = false
			if s.skip(ws, t, tg) {
				elapsed = end
				continue
			}
			t.route.filter, t.route.target = fi, ti
			s.setQueue(t, tg.queue)
			if tg.priority != nil {
				t.priority = *tg.priority
			}
			if tg.timeout > 0 {
				s.armStep(ws, t, end-age)
			}
			return
		}
		if timedOut {
			t.reason = strp(reasonWorkflowTimeout)
			s.setStatus(ws, t, StatusCanceled)
			return
		}
	}
	t.route.filter, t.route.target = routeDefault, 0
	s.setQueue(t, wf.cfg.defaultQueue)
}

// match returns the first filter from index from on that matches the task,
// or -1.
func (c *workflowConfig) match(t *task, from int) int {
	for i := from; i < len(c.filters); i++ {
		if holds(c.filters[i].expr, expr.TaskScope(t.attrMap)) {
			return i
		}
	}
	return -1
}

// skip evaluates a step's skip_if, only when no worker can take the task now.
func (s *Service) skip(ws *workspace, t *task, tg *target) bool {
	if tg.skipIf == nil {
		return false
	}
	q, ok := ws.queues.get(tg.queue)
	if !ok {
		return true
	}
	if len(s.candidates(ws, t, q, tg)) > 0 {
		return false
	}
	return tg.skipIf.Eval(s.skipScope(ws, t, q))
}

// skipScope gives skip_if its variables: workers.available,
// workers.unavailable and workers.<ActivitySid>, counted over the queue's
// workers.
func (s *Service) skipScope(ws *workspace, t *task, q *taskQueue) expr.Scope {
	counts := map[string]any{}
	avail, unavail := 0, 0
	for _, w := range ws.workers.all() {
		if !holds(q.targetExpr, expr.WorkerScope(w.attrMap)) {
			continue
		}
		if a, ok := ws.activities.get(w.activity); ok && a.available {
			avail++
		} else {
			unavail++
		}
		n, _ := counts[w.activity].(int)
		counts[w.activity] = n + 1
	}
	counts["available"], counts["unavailable"] = avail, unavail
	return expr.Scope{Default: map[string]any{"workers": counts},
		Named: map[string]map[string]any{"task": t.attrMap}}
}

func (s *Service) setQueue(t *task, q string) {
	if t.queue == q && t.queueEntered != nil {
		return
	}
	now := s.now()
	t.queue = q
	if q == "" {
		t.queueEntered = nil
	} else {
		t.queueEntered = &now
	}
}

// armStep schedules the move to the next routing step; gen discards the
// timer once the task was placed again.
func (s *Service) armStep(ws *workspace, t *task, d time.Duration) {
	t.route.gen++
	wsSid, sid, gen := ws.sid, t.sid, t.route.gen
	t.step = time.AfterFunc(d, func() { s.stepTimeout(wsSid, sid, gen) })
}

func (s *Service) stopStep(t *task) {
	t.route.gen++
	if t.step != nil {
		t.step.Stop()
		t.step = nil
	}
}

// stepTimeout moves a waiting task on. A reserved task keeps its offer; it is
// placed again when the offer ends (requeue).
func (s *Service) stepTimeout(wsSid, sid string, gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	ws, t, err := s.task(wsSid, sid)
	if err != nil || t.route.gen != gen || t.status != StatusPending {
		return
	}
	holders := t.holders()
	s.place(ws, t)
	t.touch(s.now())
	s.taskUpdated(ws, t, holders)
	s.dispatch(ws)
}

// dispatch offers every waiting task to workers, highest priority and oldest
// first, up to the queue's max_reserved_workers offers at once. It runs after
// every change that can make routing progress.
func (s *Service) dispatch(ws *workspace) {
	if s.closed {
		return
	}
	var waiting []*task
	for _, t := range ws.tasks.all() {
		if (t.status == StatusPending || t.status == StatusReserved) && t.offers() < s.maxOffers(ws, t) {
			waiting = append(waiting, t)
		}
	}
	sort.SliceStable(waiting, func(i, j int) bool {
		if waiting[i].priority != waiting[j].priority {
			return waiting[i].priority > waiting[j].priority
		}
		return waiting[i].created.Before(waiting[j].created)
	})
	for _, t := range waiting {
		for t.offers() < s.maxOffers(ws, t) {
			w := s.pickWorker(ws, t)
			if w == nil {
				break
			}
			s.reserve(ws, t, w)
		}
	}
}

// offers counts the task's pending reservations.
func (t *task) offers() int {
	n := 0
	for _, r := range t.reservations {
		if r.status == ResPending {
			n++
		}
	}
	return n
}

// maxOffers is how many workers may hold an offer of t at once: the queue's
// max_reserved_workers, or one for a task aimed at a worker.
func (s *Service) maxOffers(ws *workspace, t *task) int {
	if strings.HasPrefix(t.routingTarget, "WK") {
		return 1
	}
	if q, ok := ws.queues.get(t.queue); ok {
		return q.maxReserved
	}
	return 1
}

// pickWorker chooses the worker for a waiting task, or nil.
func (s *Service) pickWorker(ws *workspace, t *task) *worker {
	if strings.HasPrefix(t.routingTarget, "WK") {
		w, ok := ws.workers.get(t.routingTarget)
		if !ok || t.rejected[w.sid] {
			return nil
		}
		// IgnoreCapacity defaults to true for a worker target: the worker gets
		// the task whatever its activity or load, as Twilio documents.
		if t.ignoreCapacity == nil || *t.ignoreCapacity || s.available(ws, w, t.channel) {
			return w
		}
		return nil
	}
	q, ok := ws.queues.get(t.queue)
	if !ok {
		return nil
	}
	var tg *target
	if wf, ok := ws.workflows.get(t.workflow); ok && t.route.filter >= 0 && t.route.filter < len(wf.cfg.filters) {
		tg = &wf.cfg.filters[t.route.filter].targets[t.route.target]
	}
	cands := s.candidates(ws, t, q, tg)
	if len(cands) == 0 {
		return nil
	}
	return cands[0]
}

// candidates are the workers who could take t now from queue q and step tg
// (nil: any worker of the queue), best first: order_by, then longest idle.
func (s *Service) candidates(ws *workspace, t *task, q *taskQueue, tg *target) []*worker {
	var cands []*worker
	for _, w := range ws.workers.all() {
		if !t.rejected[w.sid] && s.matchesTarget(t, q, tg, w) && s.available(ws, w, t.channel) {
			cands = append(cands, w)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].statusChanged.Before(cands[j].statusChanged) })
	if tg != nil && len(tg.orderBy) > 0 {
		sort.SliceStable(cands, func(i, j int) bool { return orderLess(tg.orderBy, cands[i], cands[j]) })
	}
	return cands
}

// matchesTarget: the worker is in the queue and fits the target.
func (s *Service) matchesTarget(t *task, q *taskQueue, tg *target, w *worker) bool {
	if !holds(q.targetExpr, expr.WorkerScope(w.attrMap)) {
		return false
	}
	if tg == nil {
		return true
	}
	if tg.knownWorker != "" && tg.knownWorker != w.sid {
		return false
	}
	if tg.knownName != "" && !strings.EqualFold(tg.knownName, w.name) {
		return false
	}
	return holds(tg.expr, expr.TargetScope(t.attrMap, w.attrMap))
}

// available: the worker's activity is available, its channel is on with free
// capacity (single-tasking: no other task at all), and it has no offer
// waiting for an answer (one offer at a time).
func (s *Service) available(ws *workspace, w *worker, channel string) bool {
	a, ok := ws.activities.get(w.activity)
	if !ok || !a.available {
		return false
	}
	c, ok := w.channels.get(channel)
	if !ok || !c.available || w.load(channel) >= c.capacity {
		return false
	}
	if !ws.multiTask && w.load("") > 0 {
		return false
	}
	for _, r := range w.active {
		if r.status == ResPending {
			return false
		}
	}
	return true
}

// orderLess compares two workers by order_by keys over their attributes.
func orderLess(keys []orderKey, a, b *worker) bool {
	for _, k := range keys {
		va, vb := lookup(a.attrMap, k.path), lookup(b.attrMap, k.path)
		switch {
		case va == nil && vb == nil:
			continue
		case va == nil || vb == nil: // workers without the attribute come last
			return vb == nil
		}
		c := compareValues(va, vb)
		if c == 0 {
			continue
		}
		if k.desc {
			return c > 0
		}
		return c < 0
	}
	return false
}

func lookup(m map[string]any, path []string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

// compareValues orders numbers numerically, other values as text.
func compareValues(a, b any) int {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if okA && okB {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}
