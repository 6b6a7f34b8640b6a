//go:build js && wasm

// Command bridge is the Go WebAssembly side of the Flex Internal Call plugin.
// The plugin shim (plugin-shim/internal-call.js) loads it into the Flex page,
// starts it, and hands it Flex's `flex` and `manager` objects; the bridge then
// hooks Flex: one file per hook (actions_*.go, transfer.go, notifications.go,
// task_display.go, place_call.go, directory.go, dialpad_host.go).
package main

import (
	"errors"

	"github.com/hack-pad/safejs"
)

// bootGlobal is the object the shim sets up before starting Go: Go calls its
// ready(init) once, handing over init(flex, manager, options) → Promise.
const bootGlobal = "__flexInternalCallBoot"

func main() {
	boot := get(safejs.Global(), bootGlobal)
	if !isFunc(get(boot, "ready")) {
		panic("flex-internal-call bridge: started without the plugin shim (" + bootGlobal + ".ready is missing)")
	}
	initFn, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		if len(args) < 3 {
			return rejected(errors.New("init(flex, manager, options) needs three arguments"))
		}
		flex, manager, opts := args[0], args[1], args[2]
		// Start synchronously: Flex runs the plugin's init before it renders,
		// so listeners and content must be in place when the promise settles.
		b, err := start(flex, manager, options{Base: str(opts, "base")})
		if err != nil {
			return rejected(err)
		}
		stop, _ := safejs.FuncOf(func(jsv, []jsv) any { b.stop(); return nil })
		return resolved(newObject("stop", stop))
	})
	if err != nil {
		panic(err)
	}
	if _, err := boot.Call("ready", initFn); err != nil {
		panic(err)
	}
	select {} // keep serving callbacks for the life of the page
}

func resolved(v any) jsv {
	ctor, _ := safejs.Global().Get("Promise")
	p, _ := ctor.Call("resolve", v)
	return p
}

func rejected(err error) jsv {
	ctor, _ := safejs.Global().Get("Promise")
	p, _ := ctor.Call("reject", newError(err.Error()))
	return p
}
