//go:build e2e

package e2e

import (
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// TestDeskBoots: the desktop loads the stand-in, then the plugin from
// /plugin/internal-call.js as Flex would; the plugin's init resolves and its
// dialpad frame is in the OutboundDialerPanel. Erin has no full_name.
func TestDeskBoots(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	d := e.open("erin")
	if got := d.str(`document.getElementById("agent-name").textContent`); got != "erin" {
		t.Errorf("header: %q", got)
	}
	if got := d.str(`desk.plugins.map(function (p) { return p.name; }).join(",")`); got != "FlexInternalCall" {
		t.Errorf("plugins: %q", got)
	}
	if got := d.str(`document.querySelector('#dialer iframe').getAttribute("src")`); got != e.url+"/dialpad/" {
		t.Errorf("dialpad frame src: %q", got)
	}
	e.finish()
}
