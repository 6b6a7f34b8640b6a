//go:build js && wasm

package main

// Flex notifications of the feature, and the suppression of Flex's own
// FailedToFetchParticipants error when it concerns an internal call (Flex
// does not know an internal call's conference, so fetching its participants
// fails; the error says nothing useful to the agent then).

const (
	notifyErrorID   = "InternalCallError"
	notifyWarningID = "InternalCallWarning"
	// noticeString is the manager.strings template the notifications render;
	// the message goes in as Handlebars context, so it is escaped, never parsed.
	noticeString           = "InternalCallNotice"
	failedToFetchParticips = "FailedToFetchParticipants"
)

func (b *bridge) registerNotifications() {
	if strs := get(b.manager, "strings"); isObject(strs) {
		_ = strs.Set(noticeString, "{{message}}")
	}
	n, _ := b.flex.Get("Notifications")
	if isFunc(get(n, "registerNotification")) {
		for id, typ := range map[string]string{notifyErrorID: "error", notifyWarningID: "warning"} {
			_, _ = n.Call("registerNotification", newObject("id", id, "type", typ, "content", noticeString, "timeout", 10000))
		}
	}
	b.on(n, "beforeAddNotification", func(args []jsv) {
		if len(args) < 2 || str(args[0], "id") != failedToFetchParticips {
			return
		}
		if b.onlyInternalCallsLive() {
			_, _ = args[1].Invoke()
		}
	})
}

// onlyInternalCallsLive reports whether the agent's live voice tasks are all
// internal calls (at least one). The notification carries no task, so this is
// the narrowest test: with an ordinary call live, the error is shown.
func (b *bridge) onlyInternalCallsLive() bool {
	internal, other := 0, 0
	forEach(get(b.storeState(), "flex", "worker", "tasks"), func(_ string, t jsv) {
		if ch := str(t, "taskChannelUniqueName"); ch != "" && ch != "voice" {
			return
		}
		switch str(t, "status") {
		case "pending", "accepted", "wrapping":
		default:
			return
		}
		if isInternal(t) {
			internal++
		} else {
			other++
		}
	})
	return internal > 0 && other == 0
}

func (b *bridge) notifyError(msg string)   { b.notify(notifyErrorID, msg) }
func (b *bridge) notifyWarning(msg string) { b.notify(notifyWarningID, msg) }

func (b *bridge) notify(id, msg string) {
	if c := get(b.win, "console"); isFunc(get(c, "warn")) {
		_, _ = c.Call("warn", "flex-internal-call: "+msg)
	}
	n, _ := b.flex.Get("Notifications")
	_, _ = n.Call("showNotification", id, newObject("message", msg))
}
