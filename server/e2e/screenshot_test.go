//go:build e2e

package e2e

import (
	"context"
	"os"

	"github.com/chromedp/chromedp"
)

// screenshot saves the desk's whole page as PNG to the file the environment
// variable names (unset: nothing). The README's pictures are taken so:
//
//	E2E_SCREENSHOT=docs/demo-call.png E2E_SIM_SCREENSHOT=docs/simulator-call.png \
//	  go test -tags e2e -run 'TestDemoPage|TestSimulatorPageObserves' ./server/e2e/
//
// (paths relative to server/e2e: ../../docs/…).
func (d *desk) screenshot(env string) {
	d.t.Helper()
	path := os.Getenv(env)
	if path == "" {
		return
	}
	ctx, cancel := context.WithTimeout(d.ctx, waitLong)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		d.t.Fatal(err)
	}
}
