package ui

import (
	"strconv"

	"github.com/flex-internal-call/internal-call/wasm/dialpad/search"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
)

// Option is one row of a listbox as the combobox renders it.
type Option struct {
	Label  string
	Detail string
	// Dot is the availability shown as a coloured dot ("available", "on-call",
	// "unavailable", "offline"), or "" for none.
	Dot      string
	Disabled bool // listed but not selectable (block_busy)
	Warn     bool // selectable, with a warning
	Selected bool // the current selection
}

// AvailabilityText names a worker's availability; an unavailable worker's
// activity name is shown as Flex shows it.
func AvailabilityText(lang string, w frameproto.Worker) string {
	if w.Availability == frameproto.Unavailable && w.ActivityName != "" {
		return w.ActivityName
	}
	switch w.Availability {
	case frameproto.Available, frameproto.OnCall, frameproto.Offline:
		return dialpadtext.T(lang, "dialpad.availability."+string(w.Availability))
	}
	if w.ActivityName != "" {
		return w.ActivityName
	}
	return dialpadtext.T(lang, "dialpad.availability.unavailable")
}

func dot(a frameproto.Availability) string {
	switch a {
	case frameproto.Available, frameproto.OnCall, frameproto.Offline:
		return string(a)
	}
	return string(frameproto.Unavailable)
}

// AgentOptions are the shown workers as listbox rows.
func (m *Model) AgentOptions() []Option {
	opts := make([]Option, len(m.AgentRows))
	for i, w := range m.AgentRows {
		v := m.Verdict(w)
		detail := AvailabilityText(m.Lang, w)
		if v == search.Blocked || v == search.Offline {
			detail += " · " + dialpadtext.T(m.Lang, "dialpad.blocked")
		}
		opts[i] = Option{
			Label: w.DisplayName(), Detail: detail, Dot: dot(w.Availability),
			Disabled: !v.Selectable(), Warn: v == search.Warn,
			Selected: w.WorkerSid == m.Agent.Selected,
		}
	}
	return opts
}

// AvailableAgentsText describes a queue's available agents ("" when unknown).
func AvailableAgentsText(lang string, q frameproto.Queue) string {
	if q.AvailableAgents == nil {
		return ""
	}
	switch n := *q.AvailableAgents; n {
	case 0:
		return dialpadtext.T(lang, "dialpad.queue.agents.none")
	case 1:
		return dialpadtext.T(lang, "dialpad.queue.agents.one")
	default:
		return dialpadtext.F(lang, "dialpad.queue.agents", "n", strconv.Itoa(n))
	}
}

// QueueOptions are the shown queues as listbox rows.
func (m *Model) QueueOptions() []Option {
	opts := make([]Option, len(m.QueueRows))
	for i, q := range m.QueueRows {
		d := ""
		if q.AvailableAgents != nil {
			d = "available"
			if *q.AvailableAgents == 0 {
				d = "offline"
			}
		}
		opts[i] = Option{Label: search.QueueName(q), Detail: AvailableAgentsText(m.Lang, q), Dot: d, Selected: q.Name == m.Queue.Selected}
	}
	return opts
}

// ResultsText is the live region's sentence about the matches, "" while the
// listbox is closed.
func ResultsText(lang string, p Picker, shown int) string {
	switch {
	case !p.Nav.Open && (p.Text == "" || p.Selected != ""):
		return ""
	case p.Total == 0:
		return dialpadtext.T(lang, "dialpad.results.none")
	case p.Total == 1:
		return dialpadtext.T(lang, "dialpad.results.one")
	case p.Total > shown:
		return dialpadtext.F(lang, "dialpad.results.more", "n", strconv.Itoa(p.Total), "shown", strconv.Itoa(shown))
	}
	return dialpadtext.F(lang, "dialpad.results.count", "n", strconv.Itoa(p.Total))
}

// AgentWarning is the warning shown under the box when the selected worker
// may not answer, "" otherwise.
func (m *Model) AgentWarning() string {
	w, ok := m.SelectedWorker()
	if !ok {
		return ""
	}
	switch v := m.Verdict(w); {
	case v == search.Offline:
		return dialpadtext.F(m.Lang, "dialpad.warn.offline", "name", w.DisplayName())
	case v != search.Warn:
		return ""
	case m.Call.InProgress() && m.Call.WorkerSid == w.WorkerSid:
		return "" // on a call with us: presence warnings concern other calls
	}
	if w.Availability == frameproto.OnCall {
		return dialpadtext.F(m.Lang, "dialpad.warn.busy", "name", w.DisplayName())
	}
	return dialpadtext.F(m.Lang, "dialpad.warn.unavailable", "name", w.DisplayName(), "activity", AvailabilityText(m.Lang, w))
}
