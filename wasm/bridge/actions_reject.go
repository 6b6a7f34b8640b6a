//go:build js && wasm

package main

import "github.com/flex-internal-call/internal-call/call"

// Rejecting an internal call: a call to an agent is declined through the
// server (which ends the caller's leg and marks both tasks declined); a call
// to a queue is rejected natively so TaskRouter offers it to someone else.
func (b *bridge) hookReject() {
	b.before("RejectTask", func(payload, abort jsv) any {
		task := b.payloadTask(payload)
		if !isInternal(task) {
			return nil
		}
		if kind(task) == call.TargetQueue && role(task) == call.RoleCallee {
			return nil
		}
		return b.serverAction(task, abort, call.ActionReject, sErrReject)
	})
}
