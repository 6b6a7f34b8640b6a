//go:build js && wasm

package main

// KickParticipant on an internal call is refused with a notification: Flex's
// participant list does not know the call's conference, so it could only
// half-remove someone. The participants panel under the call removes them.
func (b *bridge) hookKick() {
	b.before("KickParticipant", func(payload, abort jsv) any {
		if !isInternal(b.payloadTask(payload)) {
			return nil
		}
		_, _ = abort.Invoke()
		b.notifyWarning(b.text(sUsePanel))
		return nil
	})
}
