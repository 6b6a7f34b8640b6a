//go:build js && wasm

package main

import (
	"strings"
	"sync"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// The agent's missed calls live where Flex keeps worker state: the worker's
// attributes (call.MissedCallsKey), written by the server. The bridge
// forwards the list to the dialpad as it is, at load and on each
// attributesUpdated of the SDK worker, and tells the agent of each new entry
// with a notification. The dialpad's Call back and Dismiss remove an entry
// through the server (DELETE /api/missed-calls/{id}).

type missedCalls struct {
	b *bridge

	mu     sync.Mutex
	seen   map[string]bool
	loaded bool
}

func newMissedCalls(b *bridge) *missedCalls {
	m := &missedCalls{b: b, seen: map[string]bool{}}
	b.on(get(b.manager, "workerClient"), "attributesUpdated", func([]jsv) { m.update() })
	m.update()
	return m
}

// list is the worker's missed calls (an empty array when there are none).
func (m *missedCalls) list() jsv {
	if l := get(m.b.manager, "workerClient", "attributes", call.MissedCallsKey); isArray(l) {
		return l
	}
	return newArray()
}

// update forwards the list and notifies of entries not seen before (none at
// load: the dialpad lists those).
func (m *missedCalls) update() {
	l := m.list()
	var fresh []string
	m.mu.Lock()
	forEach(l, func(_ string, c jsv) {
		if id := str(c, "id"); id != "" && !m.seen[id] {
			m.seen[id] = true
			if m.loaded {
				fresh = append(fresh, orDefault(str(c, "from_name"), str(c, "from")))
			}
		}
	})
	m.loaded = true
	m.mu.Unlock()
	for _, name := range fresh {
		m.b.notifyWarning(m.b.text(sMissed, "name", name))
	}
	m.send(l)
}

func (m *missedCalls) send(l jsv) {
	if m.b.dial != nil {
		m.b.dial.send(encodeJS(frameproto.TypeMissedCalls, newObject("missed_calls", l)))
	}
}

// dismiss removes an entry (the dialpad's Dismiss or Call back).
func (m *missedCalls) dismiss(id string) {
	if !strings.HasPrefix(id, call.PrefixTask) {
		return
	}
	go func() {
		if _, err := m.b.request("DELETE", call.MissedCallURL(m.b.base, id)); err != nil {
			m.b.notifyError(m.b.text(sErrDismiss, "error", err.Error()))
		}
	}()
}
