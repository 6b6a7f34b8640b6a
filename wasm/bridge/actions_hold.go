//go:build js && wasm

package main

import "github.com/flex-internal-call/internal-call/call"

// Hold and unhold on an internal call hold the OTHER party: Flex's native
// hold would hold the agent's own leg, and Flex does not know the conference
// of an internal call. The server does it instead.
func (b *bridge) hookHold() {
	for action, a := range map[string]call.CallAction{
		"HoldCall": call.ActionHold, "HoldParticipant": call.ActionHold,
		"UnholdCall": call.ActionUnhold, "UnholdParticipant": call.ActionUnhold,
	} {
		errKey := sErrHold
		if a == call.ActionUnhold {
			errKey = sErrUnhold
		}
		b.before(action, func(payload, abort jsv) any {
			task := b.payloadTask(payload)
			if !isInternal(task) {
				return nil
			}
			return b.serverAction(task, abort, a, errKey)
		})
	}
}
