//go:build browser

package page

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, installed from package.json by `make browser`.
func axeSource(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run npm install in the repository root (make browser does)", err)
	}
	return string(b)
}

// TestBrowserAccessibility runs axe-core on the dialpad with the result list
// open, in the light and the dark theme: no serious or critical violation.
func TestBrowserAccessibility(t *testing.T) {
	axe := axeSource(t)
	ctx, origin := topLevelDialpad(t)
	for _, theme := range []string{"light", "dark"} {
		openTopLevel(t, ctx, origin, `{theme: "`+theme+`", language: "en-US", features: {call_agent: true, call_queue: true}, self_worker_sid: "WK0"}`)
		fill := `(() => {
		  const post = (type, payload) => window.postMessage(JSON.stringify({ns: "flex-internal-call", v: 1, type, payload}), location.origin);
		  post("directory", {workers: [
		    {worker_sid: "WK1", full_name: "Ana López", friendly_name: "ana", contact_uri: "client:ana", activity_name: "Available", availability: "available"},
		    {worker_sid: "WK2", full_name: "Anaïs Busy", friendly_name: "anais", contact_uri: "client:anais", activity_name: "Available", availability: "on-call"},
		    {worker_sid: "WK3", full_name: "Banana Break", friendly_name: "bb", contact_uri: "client:bb", activity_name: "Break", availability: "unavailable"}]});
		  post("queues", {queues: [{name: "Sales", friendly_name: "Sales", available_agents: 2}]});
		  const input = document.getElementById("agent-input");
		  input.focus();
		  input.value = "ana";
		  input.dispatchEvent(new Event("input", {bubbles: true}));
		  return true;
		})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fill)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('[role="option"]').length >= 3`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%s: the result list never opened: %v", theme, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+"\n;true")); err != nil {
			t.Fatal(err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var violations []struct {
			ID, Impact, Help string
			Nodes            []string
		}
		if err := json.Unmarshal([]byte(raw), &violations); err != nil {
			t.Fatal(err)
		}
		for _, v := range violations {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s theme: %s (%s): %s at %v", theme, v.ID, v.Impact, v.Help, v.Nodes)
			} else {
				t.Logf("%s theme: %s (%s): %s", theme, v.ID, v.Impact, v.Help)
			}
		}
	}
}
