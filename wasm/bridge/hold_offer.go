//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
)

// Flex's Hold button (key "hold" in CallCanvasActions and TaskListButtons)
// is hidden on an internal call until it is connected (there is nobody to
// hold yet), and from the party on hold: only the agent who held can take
// them off it (the server refuses anyone else). Other calls keep it.
func (b *bridge) hideHold() {
	// Flex cannot undo a conditional remove, so the condition outlives stop().
	cond, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		if len(args) == 0 {
			return false
		}
		task := get(args[0], "task")
		held := call.Role(str(task, "attributes", "internal_call", "held"))
		return isInternal(task) && (status(task) != string(call.StatusConnected) || held != "" && held == role(task))
	})
	if err != nil {
		return
	}
	for _, c := range []string{"CallCanvasActions", "TaskListButtons"} {
		if content := get(b.flex, c, "Content"); isFunc(get(content, "remove")) {
			_, _ = content.Call("remove", "hold", newObject("if", cond))
		}
	}
}
