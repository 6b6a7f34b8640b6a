package admin

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/flex-internal-call/internal-call/server/callflow"
)

// What an Internal Call workflow holds. Filters are recognised by what they
// do, not by name: the agent filter by its target expression, a queue filter
// by its callToQueue expression.
const (
	WorkflowName          = callflow.InternalCallWorkflowPrefix
	AgentFilterName       = "Internal Call: agent"
	AgentFilterExpression = "targetWorker != null"
	AgentTargetExpression = "task.targetWorker == worker.contact_uri"
	// QueueTargetExpression keeps a caller from being offered their own queue call.
	QueueTargetExpression = "task.from != worker.contact_uri"
	// EveryoneTargetWorkers selects every worker: the agent filter's queue.
	EveryoneTargetWorkers = "1==1"
	EveryoneQueueName     = "Everyone"
	agentPriority         = 1000
)

// QueueFilterExpression is the filter expression routing a call to the named queue.
func QueueFilterExpression(queueName string) string {
	return fmt.Sprintf("callToQueue == '%s'", queueName)
}

// sameExpression compares two TaskRouter expressions ignoring blanks.
func sameExpression(a, b string) bool { return squash(a) == squash(b) }

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// QueueNameProblem says why a queue's name cannot go into a callToQueue
// expression ("" when it can).
func QueueNameProblem(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "it is empty"
	case strings.ContainsAny(name, `'"\`):
		return "it contains a quote or a backslash, which would end the expression's string"
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "it contains a control character"
	}
	return ""
}

// routing is a workflow configuration, edited in place: keys and filters it
// does not know are kept as they are, in their order.
type routing struct {
	doc         map[string]json.RawMessage
	taskRouting map[string]json.RawMessage
	filters     []*filter
}

// filter is one entry of task_routing.filters.
type filter struct {
	raw     map[string]json.RawMessage
	targets []map[string]json.RawMessage
}

func parseRouting(configuration string) (*routing, error) {
	r := &routing{doc: map[string]json.RawMessage{}, taskRouting: map[string]json.RawMessage{}}
	if strings.TrimSpace(configuration) == "" {
		return r, nil
	}
	if err := json.Unmarshal([]byte(configuration), &r.doc); err != nil {
		return nil, fmt.Errorf("the configuration is not a JSON object: %w", err)
	}
	if tr, ok := r.doc["task_routing"]; ok {
		if err := json.Unmarshal(tr, &r.taskRouting); err != nil {
			return nil, fmt.Errorf("task_routing is not a JSON object: %w", err)
		}
	}
	var raws []map[string]json.RawMessage
	if fs, ok := r.taskRouting["filters"]; ok {
		if err := json.Unmarshal(fs, &raws); err != nil {
			return nil, fmt.Errorf("task_routing.filters is not a list of objects: %w", err)
		}
	}
	for i, raw := range raws {
		f := &filter{raw: raw}
		if ts, ok := raw["targets"]; ok {
			if err := json.Unmarshal(ts, &f.targets); err != nil {
				return nil, fmt.Errorf("filter %d (%s): targets is not a list of objects: %w", i+1, f.name(), err)
			}
		}
		r.filters = append(r.filters, f)
	}
	return r, nil
}

// String is the configuration as JSON.
func (r *routing) String() string {
	raws := make([]map[string]json.RawMessage, 0, len(r.filters))
	for _, f := range r.filters {
		raws = append(raws, f.raw)
	}
	tr := cloneRaw(r.taskRouting)
	tr["filters"] = mustJSON(raws)
	doc := cloneRaw(r.doc)
	doc["task_routing"] = mustJSON(tr)
	return string(mustJSON(doc))
}

func (r *routing) defaultQueue() string {
	var d struct {
		Queue string `json:"queue"`
	}
	_ = json.Unmarshal(r.taskRouting["default_filter"], &d)
	return d.Queue
}

func (r *routing) setDefaultQueue(sid string) {
	r.taskRouting["default_filter"] = mustJSON(map[string]string{"queue": sid})
}

// agentFilter is the first filter routing to task.targetWorker, and its index.
func (r *routing) agentFilter() (*filter, int) {
	for i, f := range r.filters {
		if f.agentTarget() >= 0 {
			return f, i
		}
	}
	return nil, -1
}

// queueFilters are the filters whose expression names callToQueue.
func (r *routing) queueFilters() []*filter {
	var out []*filter
	for _, f := range r.filters {
		if f.mentionsCallToQueue() {
			out = append(out, f)
		}
	}
	return out
}

// queueFilterFor is the callable-queue filter routing to queue sid.
func (r *routing) queueFilterFor(sid string) *filter {
	for _, f := range r.queueFilters() {
		if _, ok := f.queueName(); ok && f.targetQueue(0) == sid {
			return f
		}
	}
	return nil
}

// highestOtherPriority is the highest target priority of every filter but except.
func (r *routing) highestOtherPriority(except *filter) int {
	high := 0
	for _, f := range r.filters {
		if f == except {
			continue
		}
		for i := range f.targets {
			high = max(high, f.targetPriority(i))
		}
	}
	return high
}

// insert puts f at index i.
func (r *routing) insert(i int, f *filter) {
	r.filters = append(r.filters[:i], append([]*filter{f}, r.filters[i:]...)...)
}

// lastInternalCallFilter is the index of the last agent or queue filter (-1: none).
func (r *routing) lastInternalCallFilter() int {
	last := -1
	for i, f := range r.filters {
		if f.agentTarget() >= 0 || f.mentionsCallToQueue() {
			last = i
		}
	}
	return last
}

func (f *filter) str(key string) string {
	var s string
	_ = json.Unmarshal(f.raw[key], &s)
	return s
}

func (f *filter) name() string       { return f.str("filter_friendly_name") }
func (f *filter) expression() string { return f.str("expression") }

func (f *filter) mentionsCallToQueue() bool {
	return strings.Contains(f.expression(), "callToQueue")
}

// queueName is the queue a callToQueue filter names, and whether its
// expression is one the server reads.
func (f *filter) queueName() (string, bool) { return callflow.CallToQueueName(f.expression()) }

// agentTarget is the index of the target routing to task.targetWorker (-1: none).
func (f *filter) agentTarget() int {
	for i := range f.targets {
		if sameExpression(f.targetExpression(i), AgentTargetExpression) {
			return i
		}
	}
	return -1
}

func (f *filter) targetStr(i int, key string) string {
	var s string
	_ = json.Unmarshal(f.targets[i][key], &s)
	return s
}

func (f *filter) targetQueue(i int) string {
	if i >= len(f.targets) {
		return ""
	}
	return f.targetStr(i, "queue")
}

func (f *filter) targetExpression(i int) string { return f.targetStr(i, "expression") }

func (f *filter) targetPriority(i int) int {
	var p int
	_ = json.Unmarshal(f.targets[i]["priority"], &p)
	return p
}

// setTarget sets keys of target i, keeping its others.
func (f *filter) setTarget(i int, key string, value any) {
	f.targets[i][key] = mustJSON(value)
	f.raw["targets"] = mustJSON(f.targets)
}

func newFilter(name, expression string, target map[string]any) *filter {
	t := map[string]json.RawMessage{}
	for k, v := range target {
		t[k] = mustJSON(v)
	}
	f := &filter{raw: map[string]json.RawMessage{
		"filter_friendly_name": mustJSON(name),
		"expression":           mustJSON(expression),
	}, targets: []map[string]json.RawMessage{t}}
	f.raw["targets"] = mustJSON(f.targets)
	return f
}

func newAgentFilter(everyoneQueue string, priority int) *filter {
	return newFilter(AgentFilterName, AgentFilterExpression, map[string]any{
		"queue": everyoneQueue, "expression": AgentTargetExpression, "priority": priority,
	})
}

func newQueueFilter(q Queue) *filter {
	return newFilter(q.Name, QueueFilterExpression(q.Name), map[string]any{
		"queue": q.Sid, "expression": QueueTargetExpression,
	})
}

func cloneRaw(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("admin: %T is not JSON: %v", v, err))
	}
	return b
}
