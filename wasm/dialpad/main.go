// Command dialpad is the Call Agent / Call Queue dialpad section, a go-app
// WebAssembly program that runs in its own frame inside Flex (served by the
// server under /dialpad/, see package page) and talks to the bridge in the
// Flex page through postMessage.
package main

import (
	"runtime/debug"

	"github.com/flex-internal-call/internal-call/wasm/dialpad/frame"
	"github.com/flex-internal-call/internal-call/wasm/dialpad/ui"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	// The heap is mostly the directory, which lives as long as the page; a
	// collection over it is a pause in typing, so collect less often.
	debug.SetGCPercent(400)
	app.Route("/", func() app.Composer { return ui.New(frame.NewBrowserPort()) })
	app.RunWhenOnBrowser()
}
