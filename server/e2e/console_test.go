//go:build e2e

package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/flex-internal-call/internal-call/server/demo/demotest"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// noise records every console error and warning of a tab, the browser's
// own log entries included (a refused postMessage, a missing favicon).
type noise struct {
	mu   sync.Mutex
	msgs []string
}

func (n *noise) listen(d *desk) {
	for m, err := range chromedp.Console(d.ctx) {
		if err != nil {
			return
		}
		if offlineCDN(m.Text, m.URL) {
			continue
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			n.mu.Lock()
			n.msgs = append(n.msgs, d.name+": "+m.String()+" ("+m.URL+")")
			n.mu.Unlock()
		}
	}
}

func (n *noise) all() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.msgs...)
}

// Loading the demo and the simulator's page writes nothing to the console:
// no postMessage to an origin the page is not (the dialpad allows hosted Flex
// too, as a product configured for it does), no missing favicon.
func TestDemoAndSimulatorPagesLoadWithAQuietConsole(t *testing.T) {
	d, _ := demotest.Start(t, demotest.Options{RingTimeout: ringTimeout, FlexUIBundle: flexUIBundle,
		Sim: twiliosim.Options{MediaSpeed: 50}, FlexOrigins: []string{"https://flex.twilio.com"}})
	e := &env{t: t, demo: d, sim: d.Sim, sd: d.Seeded, url: d.URL}
	t.Cleanup(func() {
		for _, d := range e.desks {
			d.close()
		}
	})
	var n noise
	page, desks := demoTabsWith(t, e, 1500, 1000, n.listen)
	sim := simTab(t, e, page)
	go n.listen(sim)
	sim.waitFor("the simulator's page following every agent", `document.body.dataset.following === "5"`)
	// The dialpads said ready and their desks answered: what a load posts is posted.
	for _, d := range desks {
		d.waitFor("the dialpad's status", `(function () { var f = document.querySelector('#dialer iframe'); return !!f.contentDocument.getElementById("agent-call"); })()`)
	}
	if msgs := n.all(); len(msgs) > 0 {
		t.Errorf("%d console errors or warnings on load:\n  %s", len(msgs), strings.Join(msgs, "\n  "))
	}
}
