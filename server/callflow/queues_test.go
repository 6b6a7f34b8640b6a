package callflow

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

func TestCallableQueues(t *testing.T) {
	conf := `{"task_routing":{"filters":[
		{"expression":"callToQueue == 'Sales'","targets":[{"queue":"WQ1"}]},
		{"expression":"task.callToQueue == \"Support\"","targets":[{"queue":"WQ2"}]},
		{"expression":"  callToQueue=='Billing & Co'  ","targets":[{"queue":"WQ3"}]},
		{"expression":"targetWorker != null","targets":[{"queue":"WQ9","expression":"task.targetWorker == worker.contact_uri"}]},
		{"expression":"callToQueue == 'Sales' AND priority > 1","targets":[{"queue":"WQ9"}]},
		{"expression":"callToQueue != 'Sales'","targets":[{"queue":"WQ9"}]},
		{"expression":"worker.callToQueue == 'Sales'","targets":[{"queue":"WQ9"}]},
		{"expression":"callToQueue == 'NoTargets'"},
		{"expression":"callToQueue == 'EmptyTargets'","targets":[]},
		{"expression":"callToQueue == 'NoQueue'","targets":[{"expression":"1 == 1"}]},
		{"expression":"callToQueue == 'Multi'","targets":[{"queue":"WQ4"},{"queue":"WQ5"}]}
	]},"extra":{"ignored":true}}`
	got, err := callableQueues(conf)
	if err != nil {
		t.Fatal(err)
	}
	want := []Queue{
		{Name: "Sales", QueueSid: "WQ1"},
		{Name: "Support", QueueSid: "WQ2"},
		{Name: "Billing & Co", QueueSid: "WQ3"},
		{Name: "Multi", QueueSid: "WQ4"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("callableQueues:\n got %+v\nwant %+v", got, want)
	}
}

func TestCallableQueuesOfAWorkflowWithoutQueueFilters(t *testing.T) {
	for _, conf := range []string{`{}`, `{"task_routing":{}}`, `{"task_routing":{"filters":[]}}`,
		`{"task_routing":{"filters":[{"expression":"targetWorker != null","targets":[{"queue":"WQ1"}]}]}}`} {
		got, err := callableQueues(conf)
		if err != nil || len(got) != 0 {
			t.Errorf("callableQueues(%s) = %v, %v; want none", conf, got, err)
		}
	}
}

func TestCallableQueuesOfInvalidJSON(t *testing.T) {
	for _, conf := range []string{``, `{`, `not json`, `{"task_routing":{"filters":{}}}`, `{"task_routing":{"filters":[{"expression":1}]}}`} {
		got, err := callableQueues(conf)
		if err == nil {
			t.Errorf("callableQueues(%q) = %v, want an error", conf, got)
			continue
		}
		expectCode(t, err, call.Unavailable)
		if !strings.Contains(err.Error(), "Internal Call workflow") {
			t.Errorf("error %q does not say which configuration is broken", err)
		}
	}
}

// queueAccount is a workspace whose Internal Call workflow routes to the
// given queues (callToQueue name → task queue friendly name).
func queueAccount(t *testing.T, queues [][2]string) (*callflowtest.Twilio, *callflowtest.Clock, *Flow, string) {
	t.Helper()
	tw := callflowtest.New()
	clock := callflowtest.NewClock()
	wf := tw.AddWorkflow("Internal Call", queueConfig(tw, queues))
	return tw, clock, New(tw, tw, clock, Settings{WorkflowSid: wf, PublicBaseURL: baseURL, RingTimeout: ringTimeout, Sealer: newSealer(t)}, nil), wf
}

func queueConfig(tw *callflowtest.Twilio, queues [][2]string) string {
	var filters []string
	for _, q := range queues {
		filters = append(filters, `{"expression":"callToQueue == '`+q[0]+`'","targets":[{"queue":"`+tw.AddQueue(q[1])+`"}]}`)
	}
	return `{"task_routing":{"filters":[` + strings.Join(filters, ",") + `]}}`
}

func TestQueuesSortedWithTheirTaskRouterNames(t *testing.T) {
	tw, _, flow, _ := queueAccount(t, [][2]string{
		{"support", "Support (EMEA)"}, {"Billing", "Billing"}, {"Zeta", "Zeta team"}, {"alpha", "Alpha desk"},
	})
	got, err := flow.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names, friendly []string
	for _, q := range got {
		names = append(names, q.Name)
		friendly = append(friendly, q.FriendlyName)
		if !call.ValidSID(call.PrefixQueue, q.QueueSid) {
			t.Errorf("queue %s: SID %q", q.Name, q.QueueSid)
		}
	}
	if want := []string{"alpha", "Billing", "support", "Zeta"}; !reflect.DeepEqual(names, want) {
		t.Errorf("order %v, want %v (case-insensitive)", names, want)
	}
	if want := []string{"Alpha desk", "Billing", "Support (EMEA)", "Zeta team"}; !reflect.DeepEqual(friendly, want) {
		t.Errorf("friendly names %v, want %v", friendly, want)
	}
	if n := tw.Count("FetchTaskQueue"); n != 4 {
		t.Errorf("%d FetchTaskQueue, want 4", n)
	}
}

func TestQueuesAreCachedFor30Seconds(t *testing.T) {
	tw, clock, flow, wf := queueAccount(t, [][2]string{{"Sales", "Sales"}})
	ctx := context.Background()
	first, err := flow.Queues(ctx)
	if err != nil || len(first) != 1 {
		t.Fatalf("Queues = %v, %v", first, err)
	}
	// The workflow changes in the console; the cache still answers.
	tw.SetWorkflowConfiguration(wf, queueConfig(tw, [][2]string{{"Sales", "Sales"}, {"Support", "Support"}}))
	reads := len(tw.Log())

	clock.Advance(29 * time.Second)
	again, err := flow.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ops := tw.Log()[reads:]; len(ops) != 0 {
		t.Errorf("cached Queues called Twilio: %v", ops)
	}
	if !reflect.DeepEqual(again, first) {
		t.Errorf("cached Queues = %v, want %v", again, first)
	}

	clock.Advance(2 * time.Second) // 31 s after the fetch
	fresh, err := flow.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := tw.Count("FetchWorkflow"); n != 2 {
		t.Errorf("%d FetchWorkflow after the cache expired, want 2", n)
	}
	if len(fresh) != 2 || fresh[0].Name != "Sales" || fresh[1].Name != "Support" {
		t.Errorf("Queues after expiry = %+v, want Sales and Support", fresh)
	}

	// The new answer is cached from the time it was fetched.
	clock.Advance(29 * time.Second)
	if _, err := flow.Queues(ctx); err != nil {
		t.Fatal(err)
	}
	if n := tw.Count("FetchWorkflow"); n != 2 {
		t.Errorf("%d FetchWorkflow, want 2 (cached again)", n)
	}
}

func TestQueuesCacheIsNotPoisonedByTheCaller(t *testing.T) {
	_, _, flow, _ := queueAccount(t, [][2]string{{"Sales", "Sales"}, {"Support", "Support"}})
	ctx := context.Background()
	first, err := flow.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first[0].Name, first[1].FriendlyName = "mangled", "mangled" // the answer of a fetch
	cached, err := flow.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cached[0].Name, cached[1].FriendlyName = "mangled", "mangled" // the answer from the cache
	again, err := flow.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Name != "Sales" || again[1].FriendlyName != "Support" {
		t.Errorf("cache changed through a returned slice: %+v", again)
	}
}

func TestQueuesOfAnInvalidWorkflowConfiguration(t *testing.T) {
	tw, _, flow, wf := queueAccount(t, nil)
	tw.SetWorkflowConfiguration(wf, `{"task_routing": {"filters": [`)
	ctx := context.Background()
	qs, err := flow.Queues(ctx)
	if err == nil {
		t.Fatalf("Queues = %v, want an error", qs)
	}
	expectCode(t, err, call.Unavailable)

	// Failures are not cached: once the workflow is fixed, the next call answers.
	tw.SetWorkflowConfiguration(wf, queueConfig(tw, [][2]string{{"Sales", "Sales"}}))
	qs, err = flow.Queues(ctx)
	if err != nil || len(qs) != 1 || qs[0].FriendlyName != "Sales" {
		t.Errorf("Queues after the fix = %v, %v", qs, err)
	}
}

func TestQueuesWhenTwilioFails(t *testing.T) {
	t.Run("workflow", func(t *testing.T) {
		tw, _, flow, _ := queueAccount(t, [][2]string{{"Sales", "Sales"}})
		tw.Hook = func(op callflowtest.Op) error {
			if op.Name == "FetchWorkflow" {
				return callflowtest.Fault(call.Unavailable)
			}
			return nil
		}
		_, err := flow.Queues(context.Background())
		expectCode(t, err, call.Unavailable)
		tw.Hook = nil
		if qs, err := flow.Queues(context.Background()); err != nil || len(qs) != 1 {
			t.Errorf("Queues after the fault = %v, %v", qs, err)
		}
	})
	t.Run("unknown queue", func(t *testing.T) {
		tw, _, flow, wf := queueAccount(t, nil)
		tw.SetWorkflowConfiguration(wf, `{"task_routing":{"filters":[{"expression":"callToQueue == 'Gone'","targets":[{"queue":"`+
			callflowtest.MissingSID(call.PrefixQueue)+`"}]}]}}`)
		_, err := flow.Queues(context.Background())
		expectCode(t, err, call.NotFound)
	})
}

func TestQueuesOfAWorkflowWithoutCallableQueuesAreCached(t *testing.T) {
	tw, _, flow, _ := queueAccount(t, nil)
	ctx := context.Background()
	for range 3 {
		qs, err := flow.Queues(ctx)
		if err != nil || len(qs) != 0 {
			t.Fatalf("Queues = %v, %v; want none", qs, err)
		}
	}
	if n := tw.Count("FetchWorkflow"); n != 1 {
		t.Fatalf("regression: an empty list of callable queues is never cached (queueCache tests queues != nil and "+
			"callableQueues returns nil): every dialpad request fetches the workflow again; %d FetchWorkflow for 3 calls", n)
	}
}
