//go:build e2e

package e2e

import (
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// On a 1280×1000 screen the demo shows the three desks and, without
// scrolling, the calls panel beside them: a newcomer sees who is in which
// call while placing it.
func TestDemoCallsPanelIsAboveTheFoldAt1280x1000(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	page, _ := demoTabs(t, e, 1280, 1000)
	page.waitFor("the calls panel", `document.getElementById("conferences").textContent.indexOf("No calls yet") >= 0`)
	box := page.eval(`(function () { var r = document.getElementById("conferences").getBoundingClientRect(); var p = document.querySelector(".panel").getBoundingClientRect(); return [p.top, r.top, r.bottom, document.documentElement.scrollHeight, window.innerHeight]; })()`).([]any)
	t.Logf("panel top %v, calls list %v..%v, page height %v, viewport %v", box[0], box[1], box[2], box[3], box[4])
	if top := box[0].(float64); top >= 1000 {
		t.Errorf("the calls panel starts at %v px, below the fold of a 1000 px high window", top)
	}
	if bottom := box[2].(float64); bottom > 1000 {
		t.Errorf("the calls list ends at %v px, below the fold of a 1000 px high window", bottom)
	}
	e.finish()
}
