package callflow

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// Queue is a queue agents can call (the type the browser API returns).
type Queue = call.Queue

// workflowConfig is the part of a workflow configuration that routes queue calls.
type workflowConfig struct {
	TaskRouting struct {
		Filters []struct {
			Expression string `json:"expression"`
			Targets    []struct {
				Queue string `json:"queue"`
			} `json:"targets"`
		} `json:"filters"`
	} `json:"task_routing"`
}

// callToQueueExpr matches a filter expression of the form callToQueue == 'Name'.
var callToQueueExpr = regexp.MustCompile(`^\s*(?:task\.)?callToQueue\s*==\s*(?:'([^']*)'|"([^"]*)")\s*$`)

// callableQueues extracts the callable queues from a workflow configuration.
func callableQueues(configuration string) ([]Queue, error) {
	var c workflowConfig
	if err := json.Unmarshal([]byte(configuration), &c); err != nil {
		return nil, &call.Error{Code: call.Unavailable, Msg: fmt.Sprintf("the Internal Call workflow's configuration is not valid JSON: %v", err), Err: err}
	}
	var out []Queue
	for _, f := range c.TaskRouting.Filters {
		name, ok := CallToQueueName(f.Expression)
		if !ok || len(f.Targets) == 0 || f.Targets[0].Queue == "" {
			continue
		}
		out = append(out, Queue{Name: name, QueueSid: f.Targets[0].Queue})
	}
	return out, nil
}

// CallToQueueName returns the queue name of a workflow filter expression of
// the form callToQueue == 'Name', and whether expression has that form: the
// filters the server offers as callable queues.
func CallToQueueName(expression string) (string, bool) {
	m := callToQueueExpr.FindStringSubmatch(expression)
	if m == nil {
		return "", false
	}
	return m[1] + m[2], true
}

// queueCache keeps the callable queues briefly: every agent's dialpad asks.
type queueCache struct {
	mu      sync.Mutex
	queues  []Queue
	fetched time.Time
}

const queueCacheTTL = 30 * time.Second

// Queues lists the queues agents can call, with their TaskRouter names.
func (f *Flow) Queues(ctx context.Context) ([]Queue, error) {
	f.queues.mu.Lock()
	defer f.queues.mu.Unlock()
	if !f.queues.fetched.IsZero() && f.now().Sub(f.queues.fetched) < queueCacheTTL {
		return slices.Clone(f.queues.queues), nil
	}
	workflow, err := f.workflowSid()
	if err != nil {
		return nil, err
	}
	w, err := f.tr.FetchWorkflow(ctx, workflow)
	if err != nil {
		return nil, err
	}
	qs, err := callableQueues(w.Configuration)
	if err != nil {
		return nil, err
	}
	for i := range qs {
		if qs[i].FriendlyName, err = f.tr.QueueName(ctx, qs[i].QueueSid); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(qs, func(a, b Queue) int { return compareFold(a.Name, b.Name) })
	f.queues.queues, f.queues.fetched = qs, f.now()
	return slices.Clone(qs), nil
}
