package ui

import (
	"slices"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
)

// The agent's missed calls, as the server keeps them in the worker's
// attributes (the bridge forwards each change): each can be called back in
// one click, or dismissed; either removes it.

// SetMissedCalls replaces the list.
func (m *Model) SetMissedCalls(l []frameproto.MissedCall) { m.Missed = l }

// missed is the entry with the id.
func (m *Model) missed(id string) (frameproto.MissedCall, bool) {
	i := slices.IndexFunc(m.Missed, func(c frameproto.MissedCall) bool { return c.ID == id })
	if i < 0 {
		return frameproto.MissedCall{}, false
	}
	return m.Missed[i], true
}

// Dismiss removes an entry at once (the server's list follows) and reports
// whether there was one.
func (m *Model) Dismiss(id string) bool {
	n := len(m.Missed)
	m.Missed = slices.DeleteFunc(slices.Clone(m.Missed), func(c frameproto.MissedCall) bool { return c.ID == id })
	return len(m.Missed) != n
}

// CanCallBack reports whether Call back is on: agent calls are, and no call
// is being placed or under way.
func (m *Model) CanCallBack() bool {
	return m.Ready && m.Enabled(TabAgent) && !m.Call.InProgress()
}

// CallBack turns a click on an entry's Call back into the place-call message
// for its caller; the entry goes (the call is returned).
func (m *Model) CallBack(id string) (frameproto.PlaceCall, bool) {
	c, ok := m.missed(id)
	if !ok || !m.CanCallBack() || !call.ValidContactURI(c.From) {
		return frameproto.PlaceCall{}, false
	}
	m.Dismiss(id)
	m.Tab = TabAgent
	p := frameproto.PlaceCall{Kind: string(call.TargetAgent), WorkerSid: c.FromWorkerSid, ContactURI: c.From, Name: c.FromName}
	m.Call = CallState{Kind: TabAgent, Name: p.Name, Status: StatusPlacing, WorkerSid: p.WorkerSid}
	return p, true
}

// MissedText is an entry's line: "Missed call from Alice Andrews, 14:02"
// (the agent's local time).
func (m *Model) MissedText(c frameproto.MissedCall) string {
	return dialpadtext.F(m.Lang, "dialpad.missed.entry", "name", missedName(c), "time", time.Unix(c.At, 0).Local().Format("15:04"))
}

func missedName(c frameproto.MissedCall) string {
	if c.FromName != "" {
		return c.FromName
	}
	return c.From
}
