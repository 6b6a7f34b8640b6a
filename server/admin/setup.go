package admin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// QueueChoice is which queues setup makes callable, besides those already
// callable (setup never removes a filter).
type QueueChoice struct {
	All   bool
	Names []string
}

// ParseQueueChoice reads --queues: "all", or queue names separated by commas.
func ParseQueueChoice(v string) (QueueChoice, error) {
	if strings.TrimSpace(v) == "all" {
		return QueueChoice{All: true}, nil
	}
	var c QueueChoice
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(c.Names, n) {
			c.Names = append(c.Names, n)
		}
	}
	if len(c.Names) == 0 && strings.TrimSpace(v) != "" {
		return c, errors.New("--queues: give all, or queue names separated by commas")
	}
	return c, nil
}

// SetupOptions tune a setup run.
type SetupOptions struct {
	Queues QueueChoice
	// CallerID for outbound_call_flows.default (needed when it has none).
	CallerID string
	// Yes applies the plan without asking.
	Yes bool
	// In answers the confirmation; Out gets the plan, progress and doctor's table.
	In     io.Reader
	Out    io.Writer
	Doctor DoctorOptions
}

// change is one step of setup's plan.
type change struct {
	lines []string
	apply func(ctx context.Context, st *setupState) error
}

// setupState carries what earlier steps created to later ones.
type setupState struct {
	everyone Queue
}

// ErrNotConfirmed is setup's answer when the administrator declines the plan.
var ErrNotConfirmed = errors.New("setup: nothing changed (not confirmed)")

// Setup creates or completes what Internal Call needs in the account: the
// Everyone queue, the Internal Call workflow's agent and queue filters, the
// Flex configuration's outbound call flow and feature flags, and the plugin.
// It prints its plan, asks for confirmation (unless Yes), applies it, and
// runs doctor; a second run finds nothing to change and says so. It fails
// when doctor still finds the account wrong, not when only this server's
// side (its URL, reachability, FLEX_ORIGINS) is left to fix. Filters
// it does not recognise as Internal Call's are kept as they are, in order.
func Setup(ctx context.Context, tw Twilio, s Settings, o SetupOptions) error {
	f := gather(ctx, tw, s)
	changes, notes, err := plan(f, o)
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(o.Out, "note: "+n)
	}
	if len(changes) == 0 {
		fmt.Fprintln(o.Out, "Nothing to change: the account is already set up for Internal Call.")
	} else {
		fmt.Fprintln(o.Out, "Setup will:")
		for _, c := range changes {
			for i, l := range c.lines {
				prefix := "  - "
				if i > 0 {
					prefix = "      "
				}
				fmt.Fprintln(o.Out, prefix+l)
			}
		}
		if !o.Yes && !confirm(o.In, o.Out, fmt.Sprintf("Apply these %d change(s)? [y/N] ", len(changes))) {
			return ErrNotConfirmed
		}
		st := &setupState{}
		if q, ok := f.everyoneQueue(); ok {
			st.everyone = q
		}
		for _, c := range changes {
			if err := c.apply(ctx, st); err != nil {
				return err
			}
			fmt.Fprintln(o.Out, "done: "+c.lines[0])
		}
	}
	fmt.Fprintln(o.Out)
	report := Doctor(ctx, tw, s, o.Doctor)
	if err := report.WriteTable(o.Out); err != nil {
		return err
	}
	var account, server []string
	for _, c := range report.Checks {
		switch {
		case c.Status != Fail:
		case serverChecks[c.Name]:
			server = append(server, c.Name)
		default:
			account = append(account, c.Name)
		}
	}
	if len(account) > 0 {
		return fmt.Errorf("doctor: %s still failing after setup; see the fixes above", strings.Join(account, ", "))
	}
	if len(server) > 0 {
		// Setup's part, the account, is done; the server may well be
		// deployed only now.
		fmt.Fprintf(o.Out, "The account is set up. Before agents can call, fix this server's side (%s) and run internal-call doctor.\n", strings.Join(server, ", "))
	}
	return nil
}

// serverChecks are about this server and its settings, which setup does not
// change: their failing does not fail setup.
var serverChecks = map[string]bool{
	checkPublicURL: true, checkHealth: true, checkPluginScript: true, checkFlexOrigins: true,
}

func confirm(in io.Reader, out io.Writer, question string) bool {
	fmt.Fprint(out, question)
	if in == nil {
		return false
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	fmt.Fprintln(out)
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// plan is what setup would change, and notes on what it leaves alone.
func plan(f *facts, o SetupOptions) ([]change, []string, error) {
	if err := f.setupBlocker(); err != nil {
		return nil, nil, err
	}
	var changes []change
	var notes []string
	if _, ok := f.everyoneQueue(); !ok {
		name := EveryoneQueueName
		if _, taken := f.queueNamed(name); taken {
			name = WorkflowName + ": everyone"
		}
		changes = append(changes, change{
			lines: []string{fmt.Sprintf("create task queue %q (target workers %s), for agent calls", name, EveryoneTargetWorkers)},
			apply: func(ctx context.Context, st *setupState) error {
				q, err := f.twilio.Workspace.CreateQueue(ctx, name, EveryoneTargetWorkers)
				if err != nil {
					return fmt.Errorf("creating task queue %q: %w", name, err)
				}
				st.everyone = q
				return nil
			},
		})
	}
	queues, skipped, err := f.chosenQueues(o.Queues)
	if err != nil {
		return nil, nil, err
	}
	notes = append(notes, skipped...)
	wc, err := f.planWorkflow(queues)
	if err != nil {
		return nil, nil, err
	}
	if wc != nil {
		changes = append(changes, *wc)
	}
	fc, err := f.planFlexConfiguration(o.CallerID)
	if err != nil {
		return nil, nil, err
	}
	if fc != nil {
		changes = append(changes, *fc)
	}
	d, err := planDeploy(f.plugins, f.settings.PluginURL())
	if err != nil {
		return nil, nil, err
	}
	if !d.upToDate {
		changes = append(changes, change{lines: d.steps(), apply: func(ctx context.Context, _ *setupState) error {
			_, err := d.apply(ctx, f.twilio.Plugins)
			return err
		}})
	}
	return changes, notes, nil
}

// setupBlocker is what setup cannot work around: unreadable or refused
// resources, and settings only the administrator can correct.
func (f *facts) setupBlocker() error {
	for _, c := range []Check{f.checkAuthToken(), f.checkAPIKey(), f.checkWorkspace()} {
		if c.Status == Fail {
			return fmt.Errorf("%s: %s\nfix: %s", c.Name, c.Detail, c.Fix)
		}
	}
	if f.taskRouterErr != nil {
		return fmt.Errorf("reading TaskRouter workspace %s: %w", f.settings.WorkspaceSid, f.taskRouterErr)
	}
	if _, found, problem := f.internalCallWorkflow(); !found && (f.settings.WorkflowSid != "" || strings.HasPrefix(problem, "several")) {
		c := f.checkWorkflow()
		return fmt.Errorf("%s: %s\nfix: %s", c.Name, c.Detail, c.Fix)
	}
	return nil
}

// chosenQueues are the queues to make callable; skipped says which "all"
// leaves out and why. A queue named explicitly that cannot be called is an error.
func (f *facts) chosenQueues(choice QueueChoice) (queues []Queue, skipped []string, err error) {
	if choice.All {
		for _, q := range f.queues {
			if p := QueueNameProblem(q.Name); p != "" {
				skipped = append(skipped, fmt.Sprintf("queue %q (%s) stays uncallable: %s; rename it in TaskRouter and run setup again", q.Name, q.Sid, p))
				continue
			}
			queues = append(queues, q)
		}
		return queues, skipped, nil
	}
	var errs []error
	for _, name := range choice.Names {
		q, ok := f.queueNamed(name)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("--queues: there is no queue named %q in workspace %s", name, f.settings.WorkspaceSid))
		case QueueNameProblem(name) != "":
			errs = append(errs, fmt.Errorf("--queues: queue %q (%s) cannot be called: %s; rename it in TaskRouter", name, q.Sid, QueueNameProblem(name)))
		default:
			queues = append(queues, q)
		}
	}
	return queues, nil, errors.Join(errs...)
}

// planWorkflow is the workflow's change: created, or edited in place.
func (f *facts) planWorkflow(queues []Queue) (*change, error) {
	w, exists, _ := f.internalCallWorkflow()
	r, err := parseRouting(w.Configuration)
	if err != nil {
		return nil, fmt.Errorf("workflow %s: %w; fix its configuration in the TaskRouter console", w.Sid, err)
	}
	everyone, _ := f.everyoneQueue()
	lines := editRouting(r, everyone, f.isEveryone, queues, !exists)
	if len(lines) == 0 {
		return nil, nil
	}
	edit := func(st *setupState) (string, error) {
		r, err := parseRouting(w.Configuration)
		if err != nil {
			return "", err
		}
		editRouting(r, st.everyone, f.isEveryone, queues, !exists)
		return r.String(), nil
	}
	if !exists {
		return &change{
			lines: append([]string{fmt.Sprintf("create workflow %q:", WorkflowName)}, lines...),
			apply: func(ctx context.Context, st *setupState) error {
				cfg, err := edit(st)
				if err != nil {
					return err
				}
				if _, err := f.twilio.Workspace.CreateWorkflow(ctx, WorkflowName, cfg); err != nil {
					return fmt.Errorf("creating workflow %q: %w", WorkflowName, err)
				}
				return nil
			},
		}, nil
	}
	return &change{
		lines: append([]string{fmt.Sprintf("update workflow %q (%s), keeping its other filters as they are:", w.Name, w.Sid)}, lines...),
		apply: func(ctx context.Context, st *setupState) error {
			cfg, err := edit(st)
			if err != nil {
				return err
			}
			if err := f.twilio.Workspace.UpdateWorkflowConfiguration(ctx, w.Sid, cfg); err != nil {
				return fmt.Errorf("updating workflow %s: %w", w.Sid, err)
			}
			return nil
		},
	}, nil
}

// editRouting makes r route agent calls and calls to queues, touching only
// the filters Internal Call owns, and describes each edit. everyone.Sid may
// be empty when the queue is yet to be created (the plan only describes).
func editRouting(r *routing, everyone Queue, isEveryone func(sid string) bool, queues []Queue, created bool) []string {
	var lines []string
	everyoneName := everyone.Name
	if everyoneName == "" {
		everyoneName = "the new everyone queue"
	}
	if created {
		r.setDefaultQueue(everyone.Sid)
		lines = append(lines, fmt.Sprintf("default filter: queue %q", everyoneName))
	}
	af, _ := r.agentFilter()
	if af == nil {
		prio := max(agentPriority, r.highestOtherPriority(nil)+1)
		r.insert(0, newAgentFilter(everyone.Sid, prio))
		lines = append(lines, fmt.Sprintf("add filter %q first: %s to queue %q, priority %d", AgentFilterName, AgentTargetExpression, everyoneName, prio))
	} else {
		i := af.agentTarget()
		if !isEveryone(af.targetQueue(i)) {
			af.setTarget(i, "queue", everyone.Sid)
			lines = append(lines, fmt.Sprintf("filter %q: target queue %q (everyone)", af.name(), everyoneName))
		}
		if other := r.highestOtherPriority(af); af.targetPriority(i) <= other {
			prio := max(agentPriority, other+1)
			af.setTarget(i, "priority", prio)
			lines = append(lines, fmt.Sprintf("filter %q: priority %d, above every other target", af.name(), prio))
		}
	}
	for _, qf := range r.queueFilters() {
		if _, ok := qf.queueName(); ok && len(qf.targets) > 0 && !sameExpression(qf.targetExpression(0), QueueTargetExpression) {
			qf.setTarget(0, "expression", QueueTargetExpression)
			lines = append(lines, fmt.Sprintf("filter %q: target expression %s (the caller is not offered their own call)", qf.name(), QueueTargetExpression))
		}
	}
	for _, q := range queues {
		if r.queueFilterFor(q.Sid) != nil {
			continue
		}
		r.insert(r.lastInternalCallFilter()+1, newQueueFilter(q))
		lines = append(lines, fmt.Sprintf("add filter %q: %s to queue %q", q.Name, QueueFilterExpression(q.Name), q.Name))
	}
	return lines
}

// planFlexConfiguration completes outbound_call_flows.default and turns the
// feature on, keeping every other key.
func (f *facts) planFlexConfiguration(callerID string) (*change, error) {
	patch := map[string]any{}
	var lines []string
	flows, _ := f.flex[keyOutboundCallFlows].(map[string]any)
	def, _ := flows["default"].(map[string]any)
	flow, present := outboundFlowOf(f.flex)
	next := cloneJSON(def)
	if _, ok := f.workflow(flow.WorkflowSid); !ok {
		sid := str(f.flex, "taskrouter_target_workflow_sid")
		if _, ok := f.workflow(sid); !ok {
			return nil, fmt.Errorf("outbound_call_flows.default needs a workflow for the caller's task, and the Flex configuration's taskrouter_target_workflow_sid (%q) is not one: set outbound_call_flows.default.workflow_sid in the Flex configuration, then run setup again", sid)
		}
		next["workflow_sid"] = sid
	}
	if _, ok := f.queue(flow.QueueSid); !ok {
		sid := str(f.flex, "taskrouter_target_taskqueue_sid")
		if _, ok := f.queue(sid); !ok {
			return nil, fmt.Errorf("outbound_call_flows.default needs a queue for the caller's task, and the Flex configuration's taskrouter_target_taskqueue_sid (%q) is not one: set outbound_call_flows.default.queue_sid in the Flex configuration, then run setup again", sid)
		}
		next["queue_sid"] = sid
	}
	switch {
	case callerID != "" && callerID != flow.CallerID:
		next["caller_id"] = callerID
	case flow.CallerID == "" && callerID == "":
		return nil, errors.New("outbound_call_flows.default has no caller_id: run setup with --caller-id <a Twilio number of the account, e.g. +15551230000>")
	}
	if !flow.Enabled {
		next["enabled"] = true
	}
	if !present || !equalJSON(next, def) {
		patch[keyOutboundCallFlows] = withKey(flows, next, "default")
		verb := "complete"
		if !present {
			verb = "add"
		}
		lines = append(lines, fmt.Sprintf("%s outbound_call_flows.default: enabled, workflow %v, queue %v, caller ID %v", verb, next["workflow_sid"], next["queue_sid"], next["caller_id"]))
	}
	ic := cloneJSON(featuresOf(f.flex))
	var set []string
	for _, d := range featureDefaults {
		v, ok := flag(ic, d.key, d.def)
		if d.key == "enabled" && !v {
			ic[d.key], set = true, append(set, "enabled: true")
		} else if !ok {
			ic[d.key], set = d.def, append(set, fmt.Sprintf("%s: %v", d.key, d.def))
		}
	}
	if featuresOf(f.flex) == nil || len(set) > 0 {
		ui, _ := f.flex[keyUIAttributes].(map[string]any)
		patch[keyUIAttributes] = withKey(ui, ic, "custom_data", "features", "internal_call")
		lines = append(lines, "set ui_attributes.custom_data.features.internal_call "+strings.Join(set, ", ")+" (other ui_attributes kept)")
	}
	if len(patch) == 0 {
		return nil, nil
	}
	patch["account_sid"] = f.settings.AccountSid
	return &change{
		lines: append([]string{"update the Flex configuration:"}, lines...),
		apply: func(ctx context.Context, _ *setupState) error {
			if err := f.twilio.Flex.UpdateFlexConfiguration(ctx, patch); err != nil {
				return fmt.Errorf("updating the Flex configuration: %w", err)
			}
			return nil
		},
	}, nil
}

func equalJSON(a, b any) bool { return string(mustJSON(a)) == string(mustJSON(b)) }
