package admin

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestQueueNameProblem(t *testing.T) {
	for name, bad := range map[string]bool{
		"Sales": false, "Tier 2 – Español": false, "O'Brien": true, `say "hi"`: true,
		`back\slash`: true, "": true, " ": true, "tab\there": true,
	} {
		if got := QueueNameProblem(name) != ""; got != bad {
			t.Errorf("QueueNameProblem(%q) = %q", name, QueueNameProblem(name))
		}
	}
}

func TestParseQueueChoice(t *testing.T) {
	if c, err := ParseQueueChoice("all"); err != nil || !c.All {
		t.Errorf("all: %+v %v", c, err)
	}
	if c, err := ParseQueueChoice(" Sales, Support ,Sales,"); err != nil || !reflect.DeepEqual(c.Names, []string{"Sales", "Support"}) {
		t.Errorf("list: %+v %v", c, err)
	}
	if _, err := ParseQueueChoice(" , "); err == nil {
		t.Error("a list of nothing accepted")
	}
	if c, err := ParseQueueChoice(""); err != nil || c.All || c.Names != nil {
		t.Errorf("unset: %+v %v", c, err)
	}
}

func TestNextVersion(t *testing.T) {
	for want, vs := range map[string][]string{
		"1.0.0":  nil,
		"1.0.1":  {"1.0.0"},
		"2.10.4": {"2.9.9", "2.10.3", "1.99.0", "beta"},
	} {
		var pvs []PluginVersion
		for _, v := range vs {
			pvs = append(pvs, PluginVersion{Version: v})
		}
		if got := nextVersion(pvs); got != want {
			t.Errorf("nextVersion(%v) = %s, want %s", vs, got, want)
		}
	}
}

// Editing keeps unknown keys, foreign filters and their order, puts its own
// filters first (agent, then queues after the last of its own), and adds
// nothing a second time.
func TestEditRoutingKeepsWhatItDoesNotOwn(t *testing.T) {
	const cfg = `{"task_routing":{"filters":[` +
		`{"filter_friendly_name":"VIP","expression":"vip == true","targets":[{"queue":"WQ2","priority":50,"skip_if":"1==1"}],"extra":[1,2]}` +
		`],"default_filter":{"queue":"WQ2"},"other":true},"top":"kept"}`
	r, err := parseRouting(cfg)
	if err != nil {
		t.Fatal(err)
	}
	everyone := Queue{Sid: "WQ1", Name: "Everyone", TargetWorkers: "1==1"}
	sales := Queue{Sid: "WQ3", Name: "Sales"}
	isEveryone := func(sid string) bool { return sid == "WQ1" }
	if lines := editRouting(r, everyone, isEveryone, []Queue{sales}, false); len(lines) != 2 {
		t.Errorf("edits %q", lines)
	}
	var got struct {
		Top         string `json:"top"`
		TaskRouting struct {
			Filters       []map[string]any `json:"filters"`
			DefaultFilter map[string]any   `json:"default_filter"`
			Other         bool             `json:"other"`
		} `json:"task_routing"`
	}
	if err := json.Unmarshal([]byte(r.String()), &got); err != nil {
		t.Fatal(err)
	}
	fs := got.TaskRouting.Filters
	if len(fs) != 3 || fs[0]["filter_friendly_name"] != AgentFilterName || fs[1]["expression"] != "callToQueue == 'Sales'" || fs[2]["filter_friendly_name"] != "VIP" {
		t.Fatalf("filters %v", fs)
	}
	if p := fs[0]["targets"].([]any)[0].(map[string]any)["priority"]; p != float64(1000) {
		t.Errorf("agent priority %v", p)
	}
	var foreign map[string]any
	_ = json.Unmarshal([]byte(`{"filter_friendly_name":"VIP","expression":"vip == true","targets":[{"queue":"WQ2","priority":50,"skip_if":"1==1"}],"extra":[1,2]}`), &foreign)
	if !reflect.DeepEqual(fs[2], foreign) || got.Top != "kept" || !got.TaskRouting.Other || got.TaskRouting.DefaultFilter["queue"] != "WQ2" {
		t.Errorf("lost what it does not own: %s", r.String())
	}
	again, _ := parseRouting(r.String())
	if lines := editRouting(again, everyone, isEveryone, []Queue{sales}, false); len(lines) != 0 {
		t.Errorf("second edit: %q", lines)
	}
	// A foreign target above 1000 lifts the agent filter above it.
	high, _ := parseRouting(`{"task_routing":{"filters":[{"filter_friendly_name":"Urgent","expression":"urgent","targets":[{"queue":"WQ2","priority":5000}]}]}}`)
	editRouting(high, everyone, isEveryone, nil, false)
	if af, _ := high.agentFilter(); af == nil || af.targetPriority(0) != 5001 {
		t.Errorf("agent priority under a 5000 target: %s", high.String())
	}
}
