package taskrouter

import (
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/expr"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type worker struct {
	sid, name                       string
	attrs                           string
	attrMap                         map[string]any
	activity                        string
	created, updated, statusChanged time.Time
	channels                        coll[*workerChannel] // by task channel SID
	// active holds the worker's pending, accepted and wrapping reservations:
	// they consume capacity.
	active map[string]*reservation
	// rev is the worker's revision (worker_etag.go).
	rev int
}

type workerChannel struct {
	sid, channel     string
	capacity         int
	available        bool
	created, updated time.Time
}

// WorkerFilter filters a worker list (REST list parameters).
type WorkerFilter struct {
	ActivityName            string
	ActivitySid             string
	Available               *bool
	FriendlyName            string
	TargetWorkersExpression string
	TaskQueueName           string
	TaskQueueSid            string
	Ordering                string
}

// CreateWorker adds a worker in the given (or the default) activity, with a
// channel of capacity 1 for every task channel.
func (s *Service) CreateWorker(wsSid string, p WorkerParams) (Worker, error) {
	if strings.TrimSpace(p.FriendlyName) == "" {
		return Worker{}, errInvalid("Missing required parameter FriendlyName")
	}
	if p.Attributes == "" {
		p.Attributes = "{}"
	}
	attrs, err := parseAttrs("Attributes", p.Attributes)
	if err != nil {
		return Worker{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return Worker{}, err
	}
	if ws.workerByName(p.FriendlyName) != nil {
		return Worker{}, errConflict("A Worker with FriendlyName %q already exists", p.FriendlyName)
	}
	if p.ActivitySid == "" {
		p.ActivitySid = ws.defaultActivity
	}
	if _, ok := ws.activities.get(p.ActivitySid); !ok {
		return Worker{}, errInvalid("Activity %s not found in workspace", p.ActivitySid)
	}
	now := s.now()
	w := &worker{sid: rest.NewSID("WK"), name: p.FriendlyName, attrs: p.Attributes, attrMap: attrs,
		activity: p.ActivitySid, created: now, updated: now, statusChanged: now, active: map[string]*reservation{}}
	for _, c := range ws.channels.all() {
		w.addChannel(c, now)
	}
	ws.workers.add(w.sid, w)
	s.dispatch(ws)
	return s.workerView(ws, w), nil
}

// Worker fetches a worker.
func (s *Service) Worker(wsSid, sid string) (Worker, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, w, err := s.worker(wsSid, sid)
	if err != nil {
		return Worker{}, err
	}
	return s.workerView(ws, w), nil
}

// Workers lists a workspace's workers in creation order.
func (s *Service) Workers(wsSid string) []Worker {
	out, _ := s.ListWorkers(wsSid, WorkerFilter{})
	return out
}

// ListWorkers lists workers matching f.
func (s *Service) ListWorkers(wsSid string, f WorkerFilter) ([]Worker, error) {
	var target *expr.Expr
	if f.TargetWorkersExpression != "" {
		var err error
		if target, err = compileExpr(f.TargetWorkersExpression); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, err
	}
	var queue *taskQueue
	if f.TaskQueueSid != "" || f.TaskQueueName != "" {
		for _, q := range ws.queues.all() {
			if q.sid == f.TaskQueueSid || (f.TaskQueueName != "" && strings.EqualFold(q.name, f.TaskQueueName)) {
				queue = q
			}
		}
		if queue == nil {
			return []Worker{}, nil
		}
	}
	out := []Worker{}
	for _, w := range ws.workers.all() {
		a, _ := ws.activities.get(w.activity)
		switch {
		case f.ActivitySid != "" && w.activity != f.ActivitySid,
			f.ActivityName != "" && (a == nil || !strings.EqualFold(a.name, f.ActivityName)),
			f.Available != nil && (a == nil || a.available != *f.Available),
			f.FriendlyName != "" && !strings.EqualFold(w.name, f.FriendlyName),
			target != nil && !target.Eval(expr.WorkerScope(w.attrMap)),
			queue != nil && !holds(queue.targetExpr, expr.WorkerScope(w.attrMap)):
			continue
		}
		out = append(out, s.workerView(ws, w))
	}
	field, dir, _ := strings.Cut(f.Ordering, ":")
	desc := strings.EqualFold(dir, "desc")
	switch field {
	case "DateCreated":
		sortStable(out, desc, func(a, b Worker) bool { return a.DateCreated < b.DateCreated })
	case "DateStatusChanged":
		sortStable(out, desc, func(a, b Worker) bool { return a.DateStatusChanged < b.DateStatusChanged })
	}
	return out, nil
}

// UpdateWorker changes a worker's name, attributes or activity. A new activity
// fires worker.activity.update; routing runs again.
func (s *Service) UpdateWorker(wsSid, sid string, u WorkerUpdate) (Worker, error) {
	var attrs map[string]any
	if u.Attributes != nil {
		var err error
		if attrs, err = parseAttrs("Attributes", *u.Attributes); err != nil {
			return Worker{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, w, err := s.worker(wsSid, sid)
	if err != nil {
		return Worker{}, err
	}
	if err := w.checkETag(u.IfMatch); err != nil {
		return Worker{}, err
	}
	if u.FriendlyName != nil {
		if strings.TrimSpace(*u.FriendlyName) == "" {
			return Worker{}, errInvalid("FriendlyName must not be empty")
		}
		if o := ws.workerByName(*u.FriendlyName); o != nil && o != w {
			return Worker{}, errConflict("A Worker with FriendlyName %q already exists", *u.FriendlyName)
		}
	}
	if u.ActivitySid != nil {
		if _, ok := ws.activities.get(*u.ActivitySid); !ok {
			return Worker{}, errInvalid("Activity %s not found in workspace", *u.ActivitySid)
		}
	}
	now := s.now()
	if u.FriendlyName != nil {
		w.name = *u.FriendlyName
	}
	if u.Attributes != nil {
		w.attrs, w.attrMap = *u.Attributes, attrs
	}
	w.updated = now
	w.rev++
	if u.ActivitySid != nil {
		s.setActivity(ws, w, *u.ActivitySid)
		if a, _ := ws.activities.get(w.activity); u.RejectPendingReservations && !a.available {
			for _, r := range w.activeReservations() {
				if r.status == ResPending {
					s.reject(ws, r, "")
				}
			}
		}
	}
	s.dispatch(ws)
	v := s.workerView(ws, w)
	if u.Attributes != nil {
		s.emit(Event{EventType: EventWorkerAttributesUpdate, WorkspaceSid: ws.sid, WorkerSid: w.sid, Worker: &v})
	}
	return v, nil
}

// SetWorkerActivity moves a worker to an activity (as the worker SDK's
// updateActivity does).
func (s *Service) SetWorkerActivity(wsSid, workerSid, activitySid string) (Worker, error) {
	return s.UpdateWorker(wsSid, workerSid, WorkerUpdate{ActivitySid: &activitySid})
}

// setActivity changes the activity and tells the worker; caller holds s.mu.
func (s *Service) setActivity(ws *workspace, w *worker, activitySid string) {
	if w.activity == activitySid {
		return
	}
	now := s.now()
	w.activity, w.statusChanged, w.updated = activitySid, now, now
	v := s.workerView(ws, w)
	s.emit(Event{EventType: EventWorkerActivityUpdate, WorkspaceSid: ws.sid, WorkerSid: w.sid, Worker: &v})
}

// DeleteWorker removes a worker without pending, accepted or wrapping
// reservations.
func (s *Service) DeleteWorker(wsSid, sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, w, err := s.worker(wsSid, sid)
	if err != nil {
		return err
	}
	if len(w.active) > 0 {
		return errInvalid("Worker %s has active reservations", sid)
	}
	ws.workers.del(sid)
	return nil
}

// WorkerByFriendlyName finds a worker by friendly name (case-insensitive).
func (s *Service) WorkerByFriendlyName(wsSid, name string) (Worker, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return Worker{}, false
	}
	if w := ws.workerByName(name); w != nil {
		return s.workerView(ws, w), true
	}
	return Worker{}, false
}

// WorkerByContactURI finds the worker whose attributes.contact_uri is uri.
func (s *Service) WorkerByContactURI(wsSid, uri string) (Worker, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return Worker{}, false
	}
	for _, w := range ws.workers.all() {
		if c, _ := w.attrMap["contact_uri"].(string); c == uri && uri != "" {
			return s.workerView(ws, w), true
		}
	}
	return Worker{}, false
}

func (s *Service) worker(wsSid, sid string) (*workspace, *worker, error) {
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, nil, err
	}
	w, ok := ws.workers.get(sid)
	if !ok {
		return nil, nil, errNotFound(ws.path() + "/Workers/" + sid)
	}
	return ws, w, nil
}

func (ws *workspace) workerByName(name string) *worker {
	for _, w := range ws.workers.all() {
		if strings.EqualFold(w.name, name) {
			return w
		}
	}
	return nil
}

// activeReservations returns w.active in creation order (map order is random).
func (w *worker) activeReservations() []*reservation {
	out := make([]*reservation, 0, len(w.active))
	for _, r := range w.active {
		out = append(out, r)
	}
	sortStable(out, false, func(a, b *reservation) bool { return a.seq < b.seq })
	return out
}

func (s *Service) workerView(ws *workspace, w *worker) Worker {
	u := ws.url() + "/Workers/" + w.sid
	v := Worker{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, Sid: w.sid, FriendlyName: w.name,
		Attributes: w.attrs, ActivitySid: w.activity, DateCreated: ts(w.created),
		DateUpdated: ts(w.updated), DateStatusChanged: ts(w.statusChanged), URL: u, ETag: w.etag(),
		Links: map[string]string{
			"activity":          ws.url() + "/Activities/" + w.activity,
			"channels":          u + "/Channels",
			"reservations":      u + "/Reservations",
			"worker_channels":   u + "/Channels",
			"worker_statistics": u + "/Statistics",
			"workspace":         ws.url(),
		},
	}
	if a, ok := ws.activities.get(w.activity); ok {
		v.ActivityName, v.Available = a.name, a.available
	}
	return v
}
