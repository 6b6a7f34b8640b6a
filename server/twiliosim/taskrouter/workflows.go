package taskrouter

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/expr"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type workflow struct {
	sid, name           string
	config              string
	cfg                 *workflowConfig
	resTimeout          int // seconds; 0 = Config.ReservationTimeout
	assignURL, fallback string
	created, updated    time.Time
}

// workflowConfig is the parsed task_routing document.
type workflowConfig struct {
	filters      []filter
	defaultQueue string
}

type filter struct {
	name    string
	expr    *expr.Expr
	targets []target
}

type target struct {
	queue       string
	expr        *expr.Expr
	priority    *int
	timeout     int // seconds; 0 = stay on this target
	knownWorker string
	knownName   string
	orderBy     []orderKey
	skipIf      *expr.Expr
}

type orderKey struct {
	path []string // under the worker attributes
	desc bool
}

// The JSON document as operators write it.
type configDoc struct {
	TaskRouting *struct {
		Filters []struct {
			FilterFriendlyName string      `json:"filter_friendly_name"`
			FriendlyName       string      `json:"friendly_name"`
			Expression         string      `json:"expression"`
			Targets            []targetDoc `json:"targets"`
		} `json:"filters"`
		DefaultFilter *struct {
			Queue string `json:"queue"`
		} `json:"default_filter"`
	} `json:"task_routing"`
}

type targetDoc struct {
	Queue                   string `json:"queue"`
	Expression              string `json:"expression"`
	Priority                *int   `json:"priority"`
	Timeout                 *int   `json:"timeout"`
	KnownWorkerSid          string `json:"known_worker_sid"`
	KnownWorkerFriendlyName string `json:"known_worker_friendly_name"`
	OrderBy                 string `json:"order_by"`
	SkipIf                  string `json:"skip_if"`
}

// parseWorkflowConfig validates the document against the workspace: JSON,
// expressions and queue SIDs, as Twilio does when the workflow is saved.
func parseWorkflowConfig(ws *workspace, src string) (*workflowConfig, error) {
	var doc configDoc
	dec := json.NewDecoder(bytes.NewReader([]byte(src)))
	if err := dec.Decode(&doc); err != nil {
		return nil, errInvalid("Workflow configuration is not valid JSON: %v", err)
	}
	if doc.TaskRouting == nil {
		return nil, errInvalid("Workflow configuration must contain task_routing")
	}
	cfg := &workflowConfig{}
	checkQueue := func(sid, where string) error {
		if sid == "" {
			return errInvalid("Workflow configuration: %s has no queue", where)
		}
		if _, ok := ws.queues.get(sid); !ok {
			return errInvalid("Workflow configuration: %s: TaskQueue %s not found", where, sid)
		}
		return nil
	}
	for i, fd := range doc.TaskRouting.Filters {
		f := filter{name: fd.FilterFriendlyName}
		if f.name == "" {
			f.name = fd.FriendlyName
		}
		where := "filter " + f.name
		e, err := compileExpr(fd.Expression)
		if err != nil {
			return nil, errInvalid("Workflow configuration: %s: invalid expression %q", where, fd.Expression)
		}
		f.expr = e
		if len(fd.Targets) == 0 {
			return nil, errInvalid("Workflow configuration: filter %d has no targets", i)
		}
		for j, td := range fd.Targets {
			if td.Queue == "" && j > 0 {
				td.Queue = f.targets[j-1].queue // a step without queue stays in the previous one
			}
			t, err := parseTarget(td, where)
			if err != nil {
				return nil, err
			}
			if err := checkQueue(t.queue, where); err != nil {
				return nil, err
			}
			f.targets = append(f.targets, t)
		}
		cfg.filters = append(cfg.filters, f)
	}
	if df := doc.TaskRouting.DefaultFilter; df != nil {
		if err := checkQueue(df.Queue, "default_filter"); err != nil {
			return nil, err
		}
		cfg.defaultQueue = df.Queue
	}
	return cfg, nil
}

func parseTarget(td targetDoc, where string) (target, error) {
	t := target{queue: td.Queue, priority: td.Priority, knownWorker: td.KnownWorkerSid,
		knownName: td.KnownWorkerFriendlyName}
	var err error
	if t.expr, err = compileExpr(td.Expression); err != nil {
		return t, errInvalid("Workflow configuration: %s: invalid target expression %q", where, td.Expression)
	}
	if t.skipIf, err = compileExpr(td.SkipIf); err != nil {
		return t, errInvalid("Workflow configuration: %s: invalid skip_if %q", where, td.SkipIf)
	}
	if td.Timeout != nil {
		if *td.Timeout < 0 {
			return t, errInvalid("Workflow configuration: %s: negative timeout", where)
		}
		t.timeout = *td.Timeout
	}
	if td.OrderBy != "" {
		for _, part := range strings.Split(td.OrderBy, ",") {
			fields := strings.Fields(part)
			if len(fields) == 0 || len(fields) > 2 {
				return t, errInvalid("Workflow configuration: %s: invalid order_by %q", where, td.OrderBy)
			}
			k := orderKey{path: strings.Split(strings.TrimPrefix(fields[0], "worker."), ".")}
			if len(fields) == 2 {
				switch strings.ToUpper(fields[1]) {
				case "DESC":
					k.desc = true
				case "ASC":
				default:
					return t, errInvalid("Workflow configuration: %s: invalid order_by %q", where, td.OrderBy)
				}
			}
			t.orderBy = append(t.orderBy, k)
		}
	}
	return t, nil
}

func (c *workflowConfig) usesQueue(sid string) bool {
	if c == nil {
		return false
	}
	if c.defaultQueue == sid {
		return true
	}
	for _, f := range c.filters {
		for _, t := range f.targets {
			if t.queue == sid {
				return true
			}
		}
	}
	return false
}

// CreateWorkflow adds a workflow; an invalid configuration is a 400.
func (s *Service) CreateWorkflow(wsSid string, p WorkflowParams) (Workflow, error) {
	if strings.TrimSpace(p.FriendlyName) == "" {
		return Workflow{}, errInvalid("Missing required parameter FriendlyName")
	}
	if strings.TrimSpace(p.Configuration) == "" {
		return Workflow{}, errInvalid("Missing required parameter Configuration")
	}
	if p.TaskReservationTimeout < 0 || p.TaskReservationTimeout > 86400 {
		return Workflow{}, errInvalid("TaskReservationTimeout must be between 1 and 86400")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return Workflow{}, err
	}
	cfg, err := parseWorkflowConfig(ws, p.Configuration)
	if err != nil {
		return Workflow{}, err
	}
	for _, o := range ws.workflows.all() {
		if strings.EqualFold(o.name, p.FriendlyName) {
			return Workflow{}, errConflict("A Workflow with FriendlyName %q already exists", p.FriendlyName)
		}
	}
	now := s.now()
	wf := &workflow{sid: rest.NewSID("WW"), name: p.FriendlyName, config: p.Configuration, cfg: cfg,
		resTimeout: p.TaskReservationTimeout, assignURL: p.AssignmentCallbackURL,
		fallback: p.FallbackAssignmentCallbackURL, created: now, updated: now}
	ws.workflows.add(wf.sid, wf)
	return s.workflowView(ws, wf), nil
}

// Workflow fetches a workflow.
func (s *Service) Workflow(wsSid, sid string) (Workflow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, wf, err := s.workflow(wsSid, sid)
	if err != nil {
		return Workflow{}, err
	}
	return s.workflowView(ws, wf), nil
}

// Workflows lists a workspace's workflows.
func (s *Service) Workflows(wsSid string) []Workflow {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil
	}
	out := []Workflow{}
	for _, wf := range ws.workflows.all() {
		out = append(out, s.workflowView(ws, wf))
	}
	return out
}

// UpdateWorkflow changes a workflow. With ReEvaluateTasks, tasks waiting
// unreserved are routed again from the first filter.
func (s *Service) UpdateWorkflow(wsSid, sid string, u WorkflowUpdate) (Workflow, error) {
	if u.TaskReservationTimeout != nil && (*u.TaskReservationTimeout < 1 || *u.TaskReservationTimeout > 86400) {
		return Workflow{}, errInvalid("TaskReservationTimeout must be between 1 and 86400")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, wf, err := s.workflow(wsSid, sid)
	if err != nil {
		return Workflow{}, err
	}
	var cfg *workflowConfig
	if u.Configuration != nil {
		if cfg, err = parseWorkflowConfig(ws, *u.Configuration); err != nil {
			return Workflow{}, err
		}
	}
	if u.FriendlyName != nil {
		if strings.TrimSpace(*u.FriendlyName) == "" {
			return Workflow{}, errInvalid("FriendlyName must not be empty")
		}
		wf.name = *u.FriendlyName
	}
	if cfg != nil {
		wf.config, wf.cfg = *u.Configuration, cfg
	}
	if u.AssignmentCallbackURL != nil {
		wf.assignURL = *u.AssignmentCallbackURL
	}
	if u.FallbackAssignmentCallbackURL != nil {
		wf.fallback = *u.FallbackAssignmentCallbackURL
	}
	if u.TaskReservationTimeout != nil {
		wf.resTimeout = *u.TaskReservationTimeout
	}
	wf.updated = s.now()
	if u.ReEvaluateTasks {
		for _, t := range ws.tasks.all() {
			if t.workflow == wf.sid && t.status == StatusPending {
				s.enterWorkflow(ws, t)
			}
		}
	}
	s.dispatch(ws)
	return s.workflowView(ws, wf), nil
}

// deleteWorkflow refuses while tasks of the workflow are not finished.
func (s *Service) deleteWorkflow(wsSid, sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, wf, err := s.workflow(wsSid, sid)
	if err != nil {
		return err
	}
	for _, t := range ws.tasks.all() {
		if t.workflow == wf.sid && !t.final() {
			return errInvalid("Workflow %s has active tasks", wf.sid)
		}
	}
	ws.workflows.del(wf.sid)
	return nil
}

func (s *Service) workflow(wsSid, sid string) (*workspace, *workflow, error) {
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, nil, err
	}
	wf, ok := ws.workflows.get(sid)
	if !ok {
		return nil, nil, errNotFound(ws.path() + "/Workflows/" + sid)
	}
	return ws, wf, nil
}

// reservationTimeout is how long a worker has to answer an offer.
func (s *Service) reservationTimeout(wf *workflow) time.Duration {
	if wf != nil && wf.resTimeout > 0 {
		return time.Duration(wf.resTimeout) * time.Second
	}
	return s.cfg.ReservationTimeout
}

func (s *Service) workflowView(ws *workspace, wf *workflow) Workflow {
	u := ws.url() + "/Workflows/" + wf.sid
	timeout := wf.resTimeout
	if timeout == 0 {
		timeout = max(1, int(s.cfg.ReservationTimeout.Round(time.Second)/time.Second))
	}
	return Workflow{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, Sid: wf.sid, FriendlyName: wf.name,
		Configuration: wf.config, DocumentContentType: "application/json",
		TaskReservationTimeout: timeout, AssignmentCallbackURL: optStr(wf.assignURL),
		FallbackAssignmentCallbackURL: optStr(wf.fallback),
		DateCreated:                   ts(wf.created), DateUpdated: ts(wf.updated), URL: u,
		Links: map[string]string{
			"statistics":            u + "/Statistics",
			"real_time_statistics":  u + "/RealTimeStatistics",
			"cumulative_statistics": u + "/CumulativeStatistics",
		},
	}
}
