//go:build js && wasm

package main

import (
	"errors"
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
)

// Flex's own transfer on an internal call. Its button (CallCanvasActions key
// "directory") is hidden on internal calls only, because the participants
// panel has ours; other calls keep it. TransferTask invoked on an internal
// call anyway (by another plugin, a keyboard shortcut) is served by the
// server's transfer, never by Flex's, which does not know the call's
// conference.
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

// hookTransfer serves TransferTask on an internal call: payload.targetSid is
// a worker (WK…) or a queue (WQ…), payload.options.mode COLD or WARM.
func (b *bridge) hookTransfer() {
	b.before("TransferTask", func(payload, abort jsv) any {
		task := b.payloadTask(payload)
		if !isInternal(task) {
			return nil
		}
		_, _ = abort.Invoke()
		sid, target := taskSid(task), str(payload, "targetSid")
		mode := call.TransferCold
		if strings.EqualFold(str(payload, "options", "mode"), "warm") {
			mode = call.TransferWarm
		}
		return promise(func() (any, error) {
			req, err := b.transferTo(target)
			if err == nil {
				req.Mode = mode
				_, err = b.send("POST", call.CallURL(b.base, sid, call.PathTransfer), toJS(req))
			}
			if err != nil {
				b.notifyError(b.text(sErrTransfer, "error", err.Error()))
			}
			b.panels.changed(sid)
			return nil, nil // never reject into Flex: the notification said why
		})
	})
}

// transferTo is the server's transfer target for a worker or queue SID.
func (b *bridge) transferTo(target string) (call.APITransfer, error) {
	if strings.HasPrefix(target, call.PrefixWorker) && b.dir != nil {
		if w, ok := b.dir.worker(target); ok && w.ContactURI != "" {
			return call.APITransfer{Target: w.ContactURI, Name: w.DisplayName()}, nil
		}
	}
	if strings.HasPrefix(target, call.PrefixQueue) {
		qs, err := b.queues()
		if err != nil {
			return call.APITransfer{}, err
		}
		for _, q := range qs {
			if q.QueueSid == target {
				return call.APITransfer{Target: call.QueueURIPrefix + q.Name, Name: orDefault(q.FriendlyName, q.Name)}, nil
			}
		}
	}
	return call.APITransfer{}, errors.New(b.text(sErrNoTarget))
}
