package taskrouter

import (
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Service is the simulated TaskRouter. One mutex guards all state; it is never
// held while calling the Dialer or a subscriber.
type Service struct {
	cfg Config
	log *slog.Logger
	now func() time.Time

	mu         sync.Mutex
	workspaces coll[*workspace]
	closed     bool
	resSeq     uint64 // orders reservations created in the same instant

	subs subscribers
}

// New returns an empty TaskRouter.
func New(cfg Config) *Service {
	if cfg.ReservationTimeout <= 0 {
		cfg.ReservationTimeout = 120 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AccountSid == "" {
		cfg.AccountSid = rest.NewSID("AC")
	}
	s := &Service{cfg: cfg, log: cfg.Logger, now: cfg.Now}
	s.subs.init()
	return s
}

// Close stops every timer and subscriber; the Service answers no more events.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	for _, ws := range s.workspaces.all() {
		for _, t := range ws.tasks.all() {
			s.stopTimers(t)
		}
		for _, r := range ws.reservations.all() {
			r.stopTimer()
		}
	}
	s.mu.Unlock()
	s.subs.closeAll()
}

// Snapshot copies the whole state.
func (s *Service) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out Snapshot
	for _, ws := range s.workspaces.all() {
		st := WorkspaceState{Workspace: s.workspaceView(ws)}
		for _, a := range ws.activities.all() {
			st.Activities = append(st.Activities, s.activityView(ws, a))
		}
		for _, w := range ws.workers.all() {
			st.Workers = append(st.Workers, s.workerView(ws, w))
		}
		for _, c := range ws.channels.all() {
			st.TaskChannels = append(st.TaskChannels, s.channelView(ws, c))
		}
		for _, q := range ws.queues.all() {
			st.TaskQueues = append(st.TaskQueues, s.queueView(ws, q))
		}
		for _, wf := range ws.workflows.all() {
			st.Workflows = append(st.Workflows, s.workflowView(ws, wf))
		}
		for _, t := range ws.tasks.all() {
			st.Tasks = append(st.Tasks, s.taskView(ws, t))
		}
		for _, r := range ws.reservations.all() {
			st.Reservations = append(st.Reservations, s.reservationView(ws, r, false))
		}
		out.Workspaces = append(out.Workspaces, st)
	}
	return out
}

// coll keeps resources by SID in creation order, as Twilio lists them.
type coll[T any] struct {
	m     map[string]T
	order []string
}

func (c *coll[T]) get(sid string) (T, bool) {
	v, ok := c.m[sid]
	return v, ok
}

func (c *coll[T]) add(sid string, v T) {
	if c.m == nil {
		c.m = map[string]T{}
	}
	if _, ok := c.m[sid]; !ok {
		c.order = append(c.order, sid)
	}
	c.m[sid] = v
}

func (c *coll[T]) del(sid string) {
	if _, ok := c.m[sid]; !ok {
		return
	}
	delete(c.m, sid)
	for i, s := range c.order {
		if s == sid {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

func (c *coll[T]) all() []T {
	out := make([]T, 0, len(c.order))
	for _, sid := range c.order {
		out = append(out, c.m[sid])
	}
	return out
}

func (c *coll[T]) len() int { return len(c.order) }

// sortStable sorts a view slice by key with Twilio's "Field:asc|desc" ordering.
func sortStable[T any](items []T, desc bool, less func(a, b T) bool) {
	sort.SliceStable(items, func(i, j int) bool {
		if desc {
			return less(items[j], items[i])
		}
		return less(items[i], items[j])
	})
}

// baseURL is the real host every url and link points to, so twilio-go follows
// them through the same rewrite as its other requests.
const (
	realHost = "taskrouter.twilio.com"
	hostURL  = "https://" + realHost
)

func ts(t time.Time) string { return rest.TimeV1(t) }

func strp(s string) *string { return &s }

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
