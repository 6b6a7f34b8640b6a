//go:build js && wasm

package main

import "github.com/flex-internal-call/internal-call/call"

// Hanging up an internal call ends the conference through the server, so
// both sides' tasks move to wrap-up together.
func (b *bridge) hookHangup() {
	b.before("HangupCall", func(payload, abort jsv) any {
		task := b.payloadTask(payload)
		if !isInternal(task) {
			return nil
		}
		return b.serverAction(task, abort, call.ActionHangup, sErrHangup)
	})
}
