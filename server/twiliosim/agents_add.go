package twiliosim

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// AgentSpec describes the agents AddAgents creates.
type AgentSpec struct {
	// Prefix names them: login names <prefix><i>, contact URIs client:<prefix><i>
	// and full names "<Prefix> <i>" (default "agent").
	Prefix string
	// First is the first index i (default 1); the others follow.
	First int
	// Skills are every agent's routing skills (e.g. a queue's).
	Skills []string
	// Activity is the seeded activity they start in (default Available).
	Activity string
}

// AddAgents adds n agents to the seeded workspace, as many as a load test
// needs beyond the five of the seed: TaskRouter workers with Flex's
// attributes (contact_uri, full_name, email, routing skills), in the given
// activity. They log in through the agents' API like the seeded ones. Seed
// must have run; a name already taken is an error (nothing after it is added).
func (s *Sim) AddAgents(n int, spec AgentSpec) ([]SeedAgent, error) {
	if n < 0 {
		return nil, fmt.Errorf("twiliosim: AddAgents: n=%d", n)
	}
	if spec.Prefix == "" {
		spec.Prefix = "agent"
	}
	if spec.First == 0 {
		spec.First = 1
	}
	if spec.Activity == "" {
		spec.Activity = "Available"
	}
	if spec.Skills == nil {
		spec.Skills = []string{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded == nil {
		return nil, fmt.Errorf("twiliosim: AddAgents before Seed")
	}
	act := s.seeded.Activities[spec.Activity]
	if act == "" {
		return nil, fmt.Errorf("twiliosim: AddAgents: no activity %q", spec.Activity)
	}
	title := strings.ToUpper(spec.Prefix[:1]) + spec.Prefix[1:]
	out := make([]SeedAgent, 0, n)
	for i := spec.First; i < spec.First+n; i++ {
		name := fmt.Sprintf("%s%d", spec.Prefix, i)
		a := SeedAgent{Name: name, FullName: fmt.Sprintf("%s %d", title, i), ContactURI: "client:" + name,
			Skills: append([]string{}, spec.Skills...), Activity: spec.Activity}
		w, err := s.TaskRouter.CreateWorker(s.seeded.WorkspaceSid, taskrouter.WorkerParams{
			FriendlyName: a.Name, ActivitySid: act, Attributes: workerAttributes(a),
		})
		if err != nil {
			return out, fmt.Errorf("twiliosim: AddAgents %s: %w", name, err)
		}
		a.WorkerSid = w.Sid
		out = append(out, a)
		s.seeded.Agents = append(s.seeded.Agents, a)
	}
	return out, nil
}

// AddCallableQueue adds a queue of the workers with the routing skill, and
// the Internal Call workflow filter that makes it callable (callToQueue ==
// name, offered to anyone in it but the caller), as an operator would. Seed
// must have run. It returns the queue's SID.
func (s *Sim) AddCallableQueue(name, skill string) (string, error) {
	if name == "" || skill == "" || strings.ContainsAny(name+skill, `'"\`) {
		return "", fmt.Errorf("twiliosim: AddCallableQueue: bad name %q or skill %q", name, skill)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded == nil {
		return "", fmt.Errorf("twiliosim: AddCallableQueue before Seed")
	}
	if s.seeded.Queues[name] != "" {
		return "", fmt.Errorf("twiliosim: AddCallableQueue: queue %q exists", name)
	}
	ws, tr := s.seeded.WorkspaceSid, s.TaskRouter
	wf, err := tr.Workflow(ws, s.seeded.InternalCallWorkflowSid)
	if err != nil {
		return "", err
	}
	var doc routingDoc
	if err := json.Unmarshal([]byte(wf.Configuration), &doc); err != nil {
		return "", fmt.Errorf("twiliosim: AddCallableQueue: workflow configuration: %w", err)
	}
	q, err := tr.CreateTaskQueue(ws, taskrouter.TaskQueueParams{FriendlyName: name,
		TargetWorkers: fmt.Sprintf("routing.skills HAS '%s'", skill)})
	if err != nil {
		return "", err
	}
	doc.TaskRouting.Filters = append(doc.TaskRouting.Filters, filterDoc{
		FilterFriendlyName: name,
		Expression:         fmt.Sprintf("callToQueue=='%s'", name),
		Targets:            []targetDoc{{Queue: q.Sid, Expression: "task.from != worker.contact_uri"}},
	})
	cfg := doc.String()
	if _, err := tr.UpdateWorkflow(ws, wf.Sid, taskrouter.WorkflowUpdate{Configuration: &cfg}); err != nil {
		return "", err
	}
	s.seeded.Queues[name] = q.Sid
	return q.Sid, nil
}
