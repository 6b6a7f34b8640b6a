//go:build js && wasm

package main

import "github.com/hack-pad/safejs"

// The transfer button (CallCanvasActions key "directory") is hidden on
// internal calls only: Flex cannot transfer a call whose conference it does
// not manage. Other calls keep it.
func (b *bridge) hideTransfer() {
	content := get(b.flex, "CallCanvasActions", "Content")
	if !isFunc(get(content, "remove")) {
		return
	}
	// Flex cannot undo a conditional remove, so the condition outlives stop():
	// it is not released with the session's other callbacks.
	cond, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		return len(args) > 0 && isInternal(get(args[0], "task"))
	})
	if err != nil {
		return
	}
	_, _ = content.Call("remove", "directory", newObject("if", cond))
}
