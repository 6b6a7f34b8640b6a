//go:build e2e

package e2e

import (
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// Transfers, consults and added numbers, from the participants panel the
// plugin puts in each party's call canvas, on the real Flex UI desks.

// panel is the expression of the desk's participants panel frame.
const panel = `document.querySelector('#call-panel iframe[data-internal-call-task]')`

// panelJS runs a function body with doc = the panel frame's document.
func (d *desk) panelJS(body string) any {
	d.t.Helper()
	return d.eval(`(function () { var f = ` + panel + `; var doc = f && f.contentDocument; if (!doc) return undefined; ` + body + ` })()`)
}

// waitPanel waits until the panel of the desk's shown call has loaded.
func (d *desk) waitPanel() {
	d.t.Helper()
	d.waitFor("the participants panel", `(function () { var f = `+panel+`; return !!(f && f.contentDocument && f.contentDocument.getElementById("dialpad")); })()`)
}

func TestParticipantsPanelInEachPartysCallCanvas(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	connect(t, e, alice, bob, "Bob Baker")
	for _, d := range []*desk{alice, bob} {
		d.waitPanel()
		task := d.str(`document.querySelector('#call .call').dataset.taskSid`)
		if got := d.str(panel + `.getAttribute("data-internal-call-task")`); got != task || task == "" {
			t.Errorf("%s's panel is for %q, the call's task is %q", d.name, got, task)
		}
	}
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(bob)
	for _, d := range []*desk{alice, bob} {
		d.waitFor("the panel to go with the call", `!`+panel)
	}
	e.finish()
}
