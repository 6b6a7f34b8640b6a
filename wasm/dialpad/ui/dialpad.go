// Package ui is the dialpad's go-app interface: the root component, one file
// per component, and the plain-Go model they render (model.go), which the
// tests drive natively.
package ui

import (
	"github.com/flex-internal-call/internal-call/wasm/dialpad/frame"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Dialpad is the root component: it owns the model, hears the host through
// its port and posts ready and place-call back.
type Dialpad struct {
	app.Compo

	port frame.Port
	m    *Model
	ctx  app.Context // the mount context, for messages from the port

	link panelLink // a participants panel's requests and polling (panel_link.go)
}

// New is the dialpad talking through port (nil: a dialpad that hears nothing,
// as when the server renders the page).
func New(port frame.Port) *Dialpad {
	return &Dialpad{port: port, m: NewModel()}
}

// Model is the dialpad's state (for tests).
func (d *Dialpad) Model() *Model { return d.m }

// OnPreRender runs when the page is rendered outside a browser (the server,
// the test engine): nothing to listen to there.
func (d *Dialpad) OnPreRender(ctx app.Context) { d.ctx = ctx }

// OnMount connects the dialpad to its host.
func (d *Dialpad) OnMount(ctx app.Context) {
	d.ctx = ctx
	d.connect(ctx)
}

// connect starts hearing the host and tells it the dialpad is ready.
func (d *Dialpad) connect(ctx app.Context) {
	if d.m == nil {
		d.m = NewModel()
	}
	if d.port == nil {
		return
	}
	d.port.Start(func(env frameproto.Envelope) {
		ctx.Dispatch(func(app.Context) { d.receive(env) })
	})
	d.port.Post(frameproto.TypeReady, nil)
}

func (d *Dialpad) OnDismount() {
	d.link.stop()
	if d.port != nil {
		d.port.Stop()
	}
}

func (d *Dialpad) Render() app.UI {
	m := d.m
	if m == nil {
		m = NewModel()
	}
	root := app.Div().ID("dialpad").Class("dialpad", "theme-"+m.Theme()).Lang("%s", m.Lang)
	if !m.Ready {
		return root.Body(app.P().Class("note").Text(dialpadtext.T(m.Lang, "dialpad.loading")))
	}
	var items []TabItem
	if m.Enabled(TabAgent) {
		items = append(items, TabItem{TabAgent, dialpadtext.T(m.Lang, "dialpad.tab.agent")})
	}
	if m.Enabled(TabQueue) {
		items = append(items, TabItem{TabQueue, dialpadtext.T(m.Lang, "dialpad.tab.queue")})
	}
	if m.IsPanel() {
		return root.Body(d.participants(items))
	}
	if len(items) == 0 {
		return root.Body(app.P().Class("note").Text(dialpadtext.T(m.Lang, "dialpad.disabled")))
	}
	return root.Body(
		app.If(len(m.Missed) > 0, func() app.UI {
			return &MissedList{Lang: m.Lang, Items: m.Missed, Text: m.MissedText, CanCallBack: m.CanCallBack(),
				OnCallBack: func(ctx app.Context, id string) { d.callBack(id) },
				OnDismiss:  func(ctx app.Context, id string) { d.dismiss(id) }}
		}),
		d.tabs(items), d.section(items),
	)
}

// tabs is the tab list, when both sections are on.
func (d *Dialpad) tabs(items []TabItem) app.UI {
	return app.If(len(items) > 1, func() app.UI {
		return &Tabs{ID: "tabs", Label: dialpadtext.T(d.m.Lang, "dialpad.tabs"), Items: items, Selected: d.m.Tab, OnSelect: d.selectTab}
	})
}

// section is the shown section: the dialpad's, or a participants panel's
// transfer picker.
func (d *Dialpad) section(items []TabItem) app.UI {
	tabs := len(items) > 1
	if d.m.Tab == TabAgent {
		return &AgentSection{View: d.agentView(tabs, items), Actions: d.actions(TabAgent)}
	}
	return &QueueSection{View: d.queueView(tabs, items), Actions: d.actions(TabQueue)}
}

// baseView fills what both sections show the same way.
func (d *Dialpad) baseView(t Tab, tabs bool, items []TabItem, p Picker, shown int) SectionView {
	m := d.m
	v := SectionView{Lang: m.Lang, Text: p.Text, Open: p.Nav.Open, Active: p.Nav.Active,
		Results: ResultsText(m.Lang, p, shown), CanCall: m.CanCall(t), Busy: m.Call.InProgress(),
		NoMatches: m.NoMatchesText(t), CallOff: m.CallOffReason()}
	if m.IsPanel() {
		v.Transfer, v.CanCall, v.Busy = true, m.CanTransfer(t), m.Panel.acting
	}
	if tabs {
		v.Labelled = TabID(t)
	} else {
		for _, it := range items {
			if it.Tab == t {
				v.Heading = it.Label
			}
		}
	}
	if m.Call.Kind == t {
		v.Placing = m.Call.Status == StatusPlacing
		v.Status = m.StatusText()
		v.StatusTone = StatusTone(m.Call.Status)
	}
	return v
}

func (d *Dialpad) agentView(tabs bool, items []TabItem) SectionView {
	m := d.m
	v := d.baseView(TabAgent, tabs, items, m.Agent, len(m.AgentRows))
	v.Options = m.AgentOptions()
	v.Warning = m.AgentWarning()
	if w, ok := m.SelectedWorker(); ok {
		v.CallName = w.DisplayName()
	}
	if !m.DirLoaded {
		v.Note = dialpadtext.T(m.Lang, "dialpad.agent.loading")
	}
	return v
}

func (d *Dialpad) queueView(tabs bool, items []TabItem) SectionView {
	m := d.m
	v := d.baseView(TabQueue, tabs, items, m.Queue, len(m.QueueRows))
	v.Options = m.QueueOptions()
	if q, ok := m.SelectedQueue(); ok {
		v.CallName = q.FriendlyName
		if v.CallName == "" {
			v.CallName = q.Name
		}
	}
	switch {
	case m.QueuesError != "":
		v.Note, v.NoteError = dialpadtext.F(m.Lang, "dialpad.queue.error", "reason", m.QueuesError), true
	case !m.QueuesLoaded:
		v.Note = dialpadtext.T(m.Lang, "dialpad.loading")
	case m.queues.Len() == 0:
		v.Note = dialpadtext.T(m.Lang, "dialpad.queue.none")
	}
	return v
}

func (d *Dialpad) actions(t Tab) SectionActions {
	if t == TabAgent {
		return SectionActions{
			OnText:  func(ctx app.Context, s string) { d.m.AgentInput(s) },
			OnKey:   func(ctx app.Context, k string, alt bool) KeyAction { return d.placeOn(TabAgent, d.m.AgentKey(k, alt)) },
			OnPick:  func(ctx app.Context, i int) { d.m.PickAgent(i) },
			OnClose: func(ctx app.Context) { d.m.CloseList(TabAgent) },
			OnCall:  func(ctx app.Context) { d.placeCall(TabAgent) },
		}
	}
	return SectionActions{
		OnText:  func(ctx app.Context, s string) { d.m.QueueInput(s) },
		OnKey:   func(ctx app.Context, k string, alt bool) KeyAction { return d.placeOn(TabQueue, d.m.QueueKey(k, alt)) },
		OnPick:  func(ctx app.Context, i int) { d.m.PickQueue(i) },
		OnClose: func(ctx app.Context) { d.m.CloseList(TabQueue) },
		OnCall:  func(ctx app.Context) { d.placeCall(TabQueue) },
	}
}

// placeOn places the call when a key press asked for it (Enter on a chosen
// target), and hands the action back to the combobox.
func (d *Dialpad) placeOn(t Tab, a KeyAction) KeyAction {
	if a == KeyPlace {
		d.placeCall(t)
	}
	return a
}

func (d *Dialpad) selectTab(ctx app.Context, t Tab) { d.m.SelectTab(t) }

// placeCall posts place-call once per click on an enabled button.
func (d *Dialpad) placeCall(t Tab) {
	p, ok := d.m.PlaceCall(t)
	if ok && d.port != nil {
		d.port.Post(frameproto.TypePlaceCall, p)
	}
}

// callBack places a call to a missed call's caller and removes the entry.
func (d *Dialpad) callBack(id string) {
	p, ok := d.m.CallBack(id)
	if ok && d.port != nil {
		d.port.Post(frameproto.TypePlaceCall, p)
		d.port.Post(frameproto.TypeDismissMissed, frameproto.DismissMissed{ID: id})
	}
}

// dismiss removes a missed call.
func (d *Dialpad) dismiss(id string) {
	if d.m.Dismiss(id) && d.port != nil {
		d.port.Post(frameproto.TypeDismissMissed, frameproto.DismissMissed{ID: id})
	}
}
