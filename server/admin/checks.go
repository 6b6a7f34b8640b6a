package admin

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Status is a check's outcome.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "FAIL"
	// NotChecked: this machine cannot tell (the detail says why).
	NotChecked Status = "not checked"
)

// Check is one row of doctor's table.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	// Fix is what to do about a failure.
	Fix string `json:"fix,omitempty"`
}

func pass(name, format string, a ...any) Check {
	return Check{Name: name, Status: Pass, Detail: fmt.Sprintf(format, a...)}
}

func fail(name, fix, format string, a ...any) Check {
	return Check{Name: name, Status: Fail, Detail: fmt.Sprintf(format, a...), Fix: fix}
}

func notChecked(name, format string, a ...any) Check {
	return Check{Name: name, Status: NotChecked, Detail: fmt.Sprintf(format, a...)}
}

const fixSetup = "internal-call setup"

// Names of the checks, in the table's order.
const (
	checkAuthToken     = "Auth token"
	checkAPIKey        = "API key"
	checkWorkspace     = "Flex workspace"
	checkWorkflow      = "Internal Call workflow"
	checkAgentFilter   = "Agent filter"
	checkQueueFilters  = "Queue filters"
	checkOutbound      = "Outbound call flow"
	checkFeatures      = "Feature flags"
	checkPlugin        = "Flex plugin"
	checkPublicURL     = "PUBLIC_BASE_URL"
	checkHealth        = "Server reachable"
	checkPluginScript  = "Plugin script served"
	checkFlexOrigins   = "FLEX_ORIGINS"
	checkTwilioReaches = "Twilio reaches PUBLIC_BASE_URL"
)

func (f *facts) checkAuthToken() Check {
	if f.authErr != nil {
		return fail(checkAuthToken,
			fmt.Sprintf("copy the auth token of account %s from the Twilio Console (Account > API keys & tokens) into TWILIO_AUTH_TOKEN", f.settings.AccountSid),
			"Twilio refused TWILIO_ACCOUNT_SID %s with TWILIO_AUTH_TOKEN: %v", f.settings.AccountSid, f.authErr)
	}
	return pass(checkAuthToken, "authenticates account %q (%s)", f.authName, f.settings.AccountSid)
}

func (f *facts) checkAPIKey() Check {
	switch {
	case !f.keyChecked:
		return pass(checkAPIKey, "TWILIO_API_KEY not set: REST calls use the auth token")
	case f.keyErr != nil:
		return fail(checkAPIKey,
			fmt.Sprintf("set TWILIO_API_KEY and TWILIO_API_SECRET to a standard API key of account %s (Twilio Console > API keys & tokens), or unset both", f.settings.AccountSid),
			"Twilio refused TWILIO_API_KEY with TWILIO_API_SECRET: %v", f.keyErr)
	}
	return pass(checkAPIKey, "TWILIO_API_KEY authenticates account %q", f.keyName)
}

func (f *facts) checkWorkspace() Check {
	flexWS := ""
	if f.flexErr == nil {
		flexWS = str(f.flex, "taskrouter_workspace_sid")
	}
	fix := "set TWILIO_FLEX_WORKSPACE_SID to the Flex workspace (TaskRouter > Workspaces, the one named \"Flex Task Assignment\")"
	if flexWS != "" {
		fix = "set TWILIO_FLEX_WORKSPACE_SID=" + flexWS + " (the Flex configuration's taskrouter_workspace_sid)"
	}
	switch {
	case f.workspaceErr != nil:
		return fail(checkWorkspace, fix, "TWILIO_FLEX_WORKSPACE_SID %s: %v", f.settings.WorkspaceSid, f.workspaceErr)
	case f.flexErr != nil:
		return fail(checkWorkspace, "check that account "+f.settings.AccountSid+" has Flex, then run doctor again",
			"reading the Flex configuration: %v", f.flexErr)
	case flexWS != f.settings.WorkspaceSid:
		return fail(checkWorkspace, fix, "TWILIO_FLEX_WORKSPACE_SID is %s, but Flex uses workspace %q", f.settings.WorkspaceSid, flexWS)
	}
	return pass(checkWorkspace, "%q (%s) is the workspace Flex uses", f.workspaceName, f.settings.WorkspaceSid)
}

// internalCallRouting is the Internal Call workflow's routing, or the check
// result saying why there is none to look at.
func (f *facts) internalCallRouting(name string) (*routing, Workflow, *Check) {
	if f.taskRouterErr != nil {
		c := notChecked(name, "TaskRouter could not be read: %v", f.taskRouterErr)
		return nil, Workflow{}, &c
	}
	w, found, _ := f.internalCallWorkflow()
	if !found {
		c := notChecked(name, "there is no Internal Call workflow to look at")
		return nil, Workflow{}, &c
	}
	r, err := parseRouting(w.Configuration)
	if err != nil {
		c := fail(name, "fix the configuration of workflow "+w.Sid+" in the TaskRouter console", "workflow %s: %v", w.Sid, err)
		return nil, w, &c
	}
	return r, w, nil
}

func (f *facts) checkWorkflow() Check {
	if f.taskRouterErr != nil {
		return notChecked(checkWorkflow, "TaskRouter could not be read: %v", f.taskRouterErr)
	}
	w, found, problem := f.internalCallWorkflow()
	if !found {
		fix := fixSetup
		switch {
		case f.settings.WorkflowSid != "":
			fix = "unset TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID (then " + fixSetup + ") or set it to a workflow of the workspace"
		case strings.HasPrefix(problem, "several"):
			fix = "set TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID to the one to use, or rename the others"
		}
		return fail(checkWorkflow, fix, "%s", problem)
	}
	if _, err := parseRouting(w.Configuration); err != nil {
		return fail(checkWorkflow, "fix the configuration of workflow "+w.Sid+" in the TaskRouter console", "workflow %s: %v", w.Sid, err)
	}
	return pass(checkWorkflow, "%q (%s)", w.Name, w.Sid)
}

func (f *facts) checkAgentFilter() Check {
	r, w, c := f.internalCallRouting(checkAgentFilter)
	if c != nil {
		return *c
	}
	af, _ := r.agentFilter()
	if af == nil {
		return fail(checkAgentFilter, fixSetup, "workflow %s has no filter with target expression %s", w.Sid, AgentTargetExpression)
	}
	i := af.agentTarget()
	sid := af.targetQueue(i)
	q, ok := f.queue(sid)
	switch {
	case !ok:
		return fail(checkAgentFilter, fixSetup, "filter %q targets queue %q, which is not a queue of the workspace", af.name(), sid)
	case !sameExpression(q.TargetWorkers, EveryoneTargetWorkers):
		return fail(checkAgentFilter, fixSetup, "filter %q targets queue %q (%s), whose target workers are %q, not everyone (%s)",
			af.name(), q.Name, q.Sid, q.TargetWorkers, EveryoneTargetWorkers)
	}
	if p, other := af.targetPriority(i), r.highestOtherPriority(af); p <= other {
		return fail(checkAgentFilter, fixSetup, "filter %q has priority %d, not above the workflow's other targets (%d): an agent call could wait behind queued tasks",
			af.name(), p, other)
	}
	return pass(checkAgentFilter, "%q routes to task.targetWorker in queue %q, priority %d", af.name(), q.Name, af.targetPriority(i))
}

func (f *facts) checkQueueFilters(requested []string) Check {
	r, w, c := f.internalCallRouting(checkQueueFilters)
	if c != nil {
		return *c
	}
	var problems, fixes, callable []string
	for _, qf := range r.queueFilters() {
		name, ok := qf.queueName()
		if !ok {
			problems = append(problems, fmt.Sprintf("filter %q: expression %q is not of the form %s", qf.name(), qf.expression(), QueueFilterExpression("<queue name>")))
			fixes = append(fixes, "rename the queue so that its name has no quote (TaskRouter > Task Queues), then "+fixSetup)
			continue
		}
		q, exists := f.queue(qf.targetQueue(0))
		switch {
		case !exists:
			problems = append(problems, fmt.Sprintf("filter %q targets %q, which is not a queue of the workspace", qf.name(), qf.targetQueue(0)))
			fixes = append(fixes, "point filter "+qf.name()+" of workflow "+w.Sid+" at an existing queue in the TaskRouter console")
		case !sameExpression(qf.targetExpression(0), QueueTargetExpression):
			problems = append(problems, fmt.Sprintf("filter %q: the caller can be offered their own call (target expression %q, want %s)", qf.name(), qf.targetExpression(0), QueueTargetExpression))
			fixes = append(fixes, fixSetup)
		default:
			if p := QueueNameProblem(name); p != "" {
				problems = append(problems, fmt.Sprintf("queue %q cannot be called: %s", name, p))
				fixes = append(fixes, "rename queue "+q.Sid+" in TaskRouter, then "+fixSetup)
				continue
			}
			callable = append(callable, name)
		}
	}
	for _, name := range requested {
		if slices.Contains(callable, name) {
			continue
		}
		q, ok := f.queueNamed(name)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("there is no queue named %q", name))
			fixes = append(fixes, "create queue "+name+" in TaskRouter, or leave it out of --queues")
		case QueueNameProblem(name) != "":
			problems = append(problems, fmt.Sprintf("queue %q cannot be called: %s", name, QueueNameProblem(name)))
			fixes = append(fixes, "rename queue "+q.Sid+" in TaskRouter")
		case r.queueFilterFor(q.Sid) == nil:
			problems = append(problems, fmt.Sprintf("queue %q has no %s filter", name, QueueFilterExpression(name)))
			fixes = append(fixes, fixSetup+" --queues "+strings.Join(requested, ","))
		}
	}
	if on, _ := flag(featuresOf(f.flex), "enable_call_queue", true); on && len(callable) == 0 && len(problems) == 0 {
		problems = append(problems, "queue calls are on but no queue is callable")
		fixes = append(fixes, fixSetup+" --queues all (or a comma-separated list of queue names)")
	}
	if len(problems) > 0 {
		return fail(checkQueueFilters, strings.Join(unique(fixes), "; "), "%s", strings.Join(problems, "; "))
	}
	if len(callable) == 0 {
		return pass(checkQueueFilters, "no queue is callable (queue calls are off)")
	}
	return pass(checkQueueFilters, "callable: %s", strings.Join(callable, ", "))
}

func (f *facts) checkOutbound() Check {
	if f.flexErr != nil {
		return notChecked(checkOutbound, "the Flex configuration could not be read: %v", f.flexErr)
	}
	flow, ok := outboundFlowOf(f.flex)
	if !ok {
		return fail(checkOutbound, fixSetup+" --caller-id <a Twilio number of the account, e.g. +15551230000>", "outbound_call_flows.default is missing from the Flex configuration")
	}
	var problems []string
	fix := fixSetup
	if !flow.Enabled {
		problems = append(problems, "enabled is not true")
	}
	if _, ok := f.workflow(flow.WorkflowSid); !ok && f.taskRouterErr == nil {
		problems = append(problems, fmt.Sprintf("workflow_sid %q is not a workflow of the workspace", flow.WorkflowSid))
	}
	if _, ok := f.queue(flow.QueueSid); !ok && f.taskRouterErr == nil {
		problems = append(problems, fmt.Sprintf("queue_sid %q is not a queue of the workspace", flow.QueueSid))
	}
	if flow.CallerID == "" {
		problems = append(problems, "caller_id is empty")
		fix = fixSetup + " --caller-id <a Twilio number of the account, e.g. +15551230000>"
	}
	if len(problems) > 0 {
		return fail(checkOutbound, fix, "outbound_call_flows.default: %s", strings.Join(problems, "; "))
	}
	return pass(checkOutbound, "enabled, workflow %s, queue %s, caller ID %s", flow.WorkflowSid, flow.QueueSid, flow.CallerID)
}

func (f *facts) checkFeatures() Check {
	if f.flexErr != nil {
		return notChecked(checkFeatures, "the Flex configuration could not be read: %v", f.flexErr)
	}
	const path = "ui_attributes.custom_data.features.internal_call"
	ic := featuresOf(f.flex)
	if ic == nil {
		return fail(checkFeatures, fixSetup, "%s is missing: the dialpad stays off", path)
	}
	var bad, on []string
	values := map[string]bool{}
	for _, d := range featureDefaults {
		v, ok := flag(ic, d.key, d.def)
		if !ok {
			bad = append(bad, fmt.Sprintf("%s is %v, not true or false", d.key, ic[d.key]))
		}
		values[d.key] = v
	}
	if len(bad) > 0 {
		return fail(checkFeatures, "set them to JSON booleans in the Flex configuration, or "+fixSetup, "%s: %s", path, strings.Join(bad, "; "))
	}
	if !values["enabled"] {
		return fail(checkFeatures, fixSetup, "%s.enabled is not true: the dialpad stays off", path)
	}
	if values["enable_call_agent"] {
		on = append(on, "agent calls")
	}
	if values["enable_call_queue"] {
		on = append(on, "queue calls")
	}
	if len(on) == 0 {
		return fail(checkFeatures, "set enable_call_agent or enable_call_queue to true in "+path,
			"both enable_call_agent and enable_call_queue are false: nothing can be called")
	}
	return pass(checkFeatures, "enabled: %s", strings.Join(on, " and "))
}

func (f *facts) checkPlugin() Check {
	ps := f.plugins
	want := f.settings.PluginURL()
	const fix = "internal-call plugin deploy"
	switch ours, live := ps.liveOurs(); {
	case ps.err != nil:
		return fail(checkPlugin, "check that account "+f.settings.AccountSid+" has Flex, then run doctor again", "reading the Flex Plugins API: %v", ps.err)
	case ps.plugin == nil:
		return fail(checkPlugin, fix, "no Flex plugin named %q is registered", PluginUniqueName)
	case !live:
		return fail(checkPlugin, fix, "plugin %q is registered but not in the live release", PluginUniqueName)
	case ours.URL != want:
		return fail(checkPlugin, fix, "the live release loads %s, not %s", ours.URL, want)
	default:
		return pass(checkPlugin, "%s@%s is live (release %s) at %s", PluginUniqueName, ours.Version, ps.releases[0].Sid, ours.URL)
	}
}

func (f *facts) checkPublicURL() Check {
	u := f.settings.PublicBaseURL
	if u.Scheme != "https" {
		return fail(checkPublicURL, "serve this server over TLS (or behind an https proxy) and set PUBLIC_BASE_URL=https://"+u.Host+u.Path,
			"%s is not https: Flex refuses to load plugins and frames over plain http", u)
	}
	return pass(checkPublicURL, "%s", u)
}

func probeCheck(name, url string, p probe, what string) Check {
	const fix = "start internal-call serve where PUBLIC_BASE_URL reaches it (check DNS, TLS certificate and proxy), then run doctor again"
	switch {
	case p.err != nil:
		return fail(name, fix, "GET %s: %v", url, p.err)
	case p.status != 200:
		return fail(name, fix, "GET %s answered %d, want 200", url, p.status)
	}
	return pass(name, "GET %s answered 200 (%s)", url, what)
}

func (f *facts) checkFlexOrigins() Check {
	if slices.Contains(f.settings.FlexOrigins, HostedFlexOrigin) {
		return pass(checkFlexOrigins, "holds %s", HostedFlexOrigin)
	}
	want := append(slices.Clone(f.settings.FlexOrigins), HostedFlexOrigin)
	return fail(checkFlexOrigins, "set FLEX_ORIGINS="+strings.Join(want, ","),
		"%q lacks %s, where agents open Flex: the plugin and the dialpad would be refused", strings.Join(f.settings.FlexOrigins, ","), HostedFlexOrigin)
}

func (f *facts) checkTwilioReaches() Check {
	u, _ := url.Parse(f.settings.PublicBaseURL.String())
	return notChecked(checkTwilioReaches,
		"Twilio fetches TwiML from %s over the internet, which this machine cannot see from outside; place a test call and watch the Twilio Console's debugger (error 11200 means Twilio could not reach it)", u.Host)
}

func unique(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
