//go:build js && wasm

package main

import (
	"strings"

	"github.com/flex-internal-call/internal-call/call"
)

// An internal-call task as Flex hands it to hooks: task.sid is the
// RESERVATION SID (WR…), task.taskSid the task SID (WT…), task.sourceObject
// the TaskRouter SDK reservation.

// isInternal reports whether a Flex task (or SDK task) is an internal call:
// the client_call flag other Flex features test too.
func isInternal(task jsv) bool { return isTrue(task, "attributes", "client_call") }

// payloadTask is the task of an action payload (Flex fills payload.task from payload.sid).
func (b *bridge) payloadTask(payload jsv) jsv {
	if t := get(payload, "task"); isObject(t) {
		return t
	}
	sid := str(payload, "sid")
	if sid == "" {
		return undefined
	}
	m := get(b.storeState(), "flex", "worker", "tasks")
	if isFunc(get(m, "get")) {
		t, err := m.Call("get", sid)
		if err == nil && isObject(t) {
			return t
		}
	}
	return undefined
}

// role is the side of the call a task belongs to. Older caller tasks carry no
// internal_call object: their direction is outbound.
func role(task jsv) call.Role {
	switch call.Role(str(task, "attributes", "internal_call", "role")) {
	case call.RoleCaller:
		return call.RoleCaller
	case call.RoleCallee:
		return call.RoleCallee
	}
	if str(task, "attributes", "direction") == "outbound" {
		return call.RoleCaller
	}
	return call.RoleCallee
}

// kind is whether the call goes to an agent or a queue.
func kind(task jsv) call.TargetKind {
	if k := call.TargetKind(str(task, "attributes", "internal_call", "target")); k == call.TargetAgent || k == call.TargetQueue {
		return k
	}
	if str(task, "attributes", "callToQueue") != "" || strings.HasPrefix(str(task, "attributes", "to"), call.QueueURIPrefix) {
		return call.TargetQueue
	}
	return call.TargetAgent
}

// taskSid is the TaskRouter task SID of a Flex task (never the reservation SID).
func taskSid(task jsv) string {
	if s := str(task, "taskSid"); s != "" {
		return s
	}
	// an SDK Task (reservation.task) has sid = WT…
	if s := str(task, "sid"); strings.HasPrefix(s, call.PrefixTask) {
		return s
	}
	return ""
}

// peerName is the other party's display name.
func peerName(task jsv) string {
	for _, k := range [][]string{{"attributes", "internal_call", "peer_name"}, {"attributes", "name"}, {"attributes", "fromName"}} {
		if s := str(task, k...); s != "" {
			return s
		}
	}
	return ""
}

// status is the live call status the server writes into internal_call.
func status(task jsv) string { return str(task, "attributes", "internal_call", "status") }

// before registers a before<Action> listener, removed on stop. handle runs
// synchronously inside Flex's event; it returns nil to let the action run
// untouched, or a value (a Promise) Flex waits for.
func (b *bridge) before(action string, handle func(payload, abort jsv) any) {
	actions, _ := b.flex.Get("Actions")
	event := "before" + action
	cb := b.fn(func(_ jsv, args []jsv) any {
		if len(args) < 2 {
			return nil
		}
		return handle(args[0], args[1])
	})
	if _, err := actions.Call("addListener", event, cb); err != nil {
		return
	}
	b.onStop(func() { _, _ = actions.Call("removeListener", event, cb) })
}

// serverAction aborts the native action and runs a server call in its place;
// a failure shows a notification with errKey.
func (b *bridge) serverAction(task, abort jsv, action call.CallAction, errKey string) any {
	_, _ = abort.Invoke()
	sid := taskSid(task)
	return promise(func() (any, error) {
		if err := b.postAction(sid, action); err != nil {
			b.notifyError(b.text(errKey, "error", err.Error()))
		}
		return nil, nil // the native action is cancelled either way; never reject into Flex
	})
}

// storeState is Flex's Redux state, undefined when unavailable.
func (b *bridge) storeState() jsv {
	store := get(b.manager, "store")
	if !isFunc(get(store, "getState")) {
		return undefined
	}
	s, err := store.Call("getState")
	if err != nil {
		return undefined
	}
	return s
}
