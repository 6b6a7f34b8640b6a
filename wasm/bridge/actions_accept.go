//go:build js && wasm

package main

import (
	"errors"

	"github.com/flex-internal-call/internal-call/call"
)

// What happens when an agent accepts an internal-call task (the caller's own
// task, or the callee's offered task): the native accept is aborted and the
// reservation places the agent's leg with the Call instruction, fetching the
// server's caller or callee TwiML. Other tasks are left alone.
func (b *bridge) hookAccept() {
	b.before("AcceptTask", func(payload, abort jsv) any {
		task := b.payloadTask(payload)
		if !isInternal(task) {
			return nil
		}
		_, _ = abort.Invoke()
		// Flex auto-accepts the caller's task in each of the agent's tabs:
		// only the tab that placed the call places its leg.
		if role(task) == call.RoleCaller && !b.place.owns(taskSid(task)) {
			return nil
		}
		return promise(func() (any, error) {
			if err := b.accept(task); err != nil {
				b.notifyError(b.text(sErrAccept, "error", err.Error()))
			}
			return nil, nil
		})
	})
}

func (b *bridge) accept(task jsv) error {
	sid := taskSid(task)
	if sid == "" {
		return errors.New("the task has no task SID")
	}
	// The callee's task names its caller's task and the conference: as hints
	// on the URL they let the server read all three at once.
	url := call.CalleeTwiMLURL(b.base, sid, str(task, "attributes", "internal_call", "caller_task_sid"), str(task, "attributes", "conference", "sid"))
	if role(task) == call.RoleCaller {
		url = call.CallerTwiMLURL(b.base, sid)
	}
	from, err := b.callFrom()
	if err != nil {
		return err
	}
	reservation := get(task, "sourceObject")
	if !isFunc(get(reservation, "call")) {
		return errors.New("the task has no reservation to place the call with")
	}
	// reservation.call checks types synchronously: accept must be a boolean.
	// statusCallbackUrl: Twilio tells the server when the leg ends, a signal
	// of its own besides the conference callbacks.
	p, err := reservation.Call("call", from, url, newObject("accept", true, "statusCallbackUrl", call.LegStatusURL(b.base, sid)))
	if err != nil {
		return errors.New(cleanErr(err))
	}
	_, err = await(p)
	return err
}

// callFrom is the `from` of the agent's own leg: the agent's contact_uri, or
// for SIP agents the outbound caller ID.
func (b *bridge) callFrom() (string, error) {
	from := b.selfContactURI()
	if from == "" {
		return "", errors.New(b.text(sErrNoContact))
	}
	if call.IsSIP(from) {
		if id := str(b.manager, "serviceConfiguration", "outbound_call_flows", "default", "caller_id"); id != "" {
			return id, nil
		}
		return "", errors.New(b.text(sErrConfig))
	}
	return from, nil
}
