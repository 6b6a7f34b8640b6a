package ui

import (
	"strings"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The participants panel's markup: who is on the call, the transfer in
// progress with Complete and Cancel for the agent who started it, and
// Transfer… and Add number…, which open the picker (the dialpad's own
// sections) or the number form. Every button names its action in
// data-action (and its party in data-label); one click listener on the
// panel acts on them, rather than a closure per button.

// participants renders the panel.
func (d *Dialpad) participants(items []TabItem) app.UI {
	m := d.m
	t := func(key string) string { return dialpadtext.T(m.Lang, key) }
	kids := []app.UI{el("h2", t("dialpad.panel.heading"), "id", "participants-heading", "class", "section-heading")}
	if !m.Panel.Loaded {
		kids = append(kids, el("p", t("dialpad.loading"), "class", "note"))
	}
	rows := m.PanelRows()
	lis := make([]app.UI, len(rows))
	for i, r := range rows {
		lis[i] = participantRow(m.Lang, r)
	}
	kids = append(kids,
		el("ul", "", "id", "participant-list", "class", "participant-list", "role", "list").Body(lis...),
		el("div", m.TransferText(), "id", "transfer-status", "class", "call-status", "role", "status", "aria-live", "polite"))
	var acts []app.UI
	if m.TransferByYou() {
		acts = append(acts, actionButton("transfer-cancel", "quiet-button", "cancel", "", "", t("dialpad.panel.transfer.cancel"), true))
		if m.Panel.Transfer.Mode == call.TransferWarm {
			acts = append(acts, actionButton("transfer-complete", "call-button", "complete", "", "", t("dialpad.panel.transfer.complete"), m.CanComplete()))
		}
	}
	var screen []app.UI
	if m.CanStart() {
		switch m.Panel.Screen {
		case ScreenList:
			acts = append(acts, actionButton("panel-add", "quiet-button", "add", "", "", t("dialpad.panel.add"), true))
			if len(items) > 0 {
				acts = append(acts, actionButton("panel-transfer", "quiet-button", "pick", "", "", t("dialpad.panel.transfer"), true))
			}
		case ScreenPicker:
			screen = []app.UI{d.tabs(items), d.section(items)}
		case ScreenAdd:
			screen = []app.UI{el("form", "", "id", "add-form", "class", "section").On("submit", d.submitNumber).Body(
				el("label", t("dialpad.panel.number"), "for", "add-number", "class", "field-label"),
				app.Input().ID("add-number").Class("combobox-input").Type("tel").AutoComplete(false).
					Placeholder("+15551234567").Value(m.Panel.Number).OnInput(d.numberInput),
				el("div", "", "class", "actions").Body(
					actionButton("add-number-back", "quiet-button", "back", "", "", t("dialpad.panel.back"), true),
					el("button", t("dialpad.panel.number.submit"), "id", "add-number-submit", "type", "submit", "class", "call-button"),
				),
			)}
		}
	}
	if len(acts) > 0 {
		kids = append(kids, el("div", "", "class", "actions").Body(acts...))
	}
	kids = append(kids, screen...)
	if m.Panel.Error != "" {
		kids = append(kids, el("p", m.Panel.Error, "id", "panel-error", "class", "note note-error", "role", "alert"))
	}
	return el("section", "", "id", "participants", "class", "section participants", "aria-labelledby", "participants-heading").
		On("click", d.panelClick).Body(kids...)
}

// el is an element with its text (if any) and attributes as name, value
// pairs (an empty value leaves the attribute out): one call per element,
// which keeps the panel small in WebAssembly.
func el(tag, text string, attrs ...string) app.HTMLElem {
	e := app.Elem(tag)
	for i := 1; i < len(attrs); i += 2 {
		e = e.Attr(attrs[i-1], attrs[i])
	}
	if text != "" {
		e = e.Text(text)
	}
	return e
}

// participantRow is one line of the list: the party's name and status with
// Hold or Resume and Remove, or the outcome of a party who never joined.
// Each button is named by its text and the party's name (aria-labelledby),
// so "Hold" says whom in every language.
func participantRow(lang string, r PanelRow) app.UI {
	class := "participant"
	if r.Outcome {
		class += " participant-outcome"
	}
	li := el("li", "", "class", class, "data-label", r.Label, "data-status", string(r.Status), "data-hold", boolString(r.Hold))
	if r.Outcome {
		return li.Body(el("span", r.Text, "class", "participant-name"))
	}
	nameID := "party-" + r.Label
	kids := []app.UI{el("span", r.Name, "id", nameID, "class", "participant-name"), el("span", r.Text, "class", "participant-status")}
	verbs := ""
	if r.CanHold {
		verbs = "hold"
		if r.Hold {
			verbs = "unhold"
		}
	}
	if r.CanRemove {
		verbs += " remove"
	}
	for _, v := range strings.Fields(verbs) {
		id := v + "-" + r.Label
		kids = append(kids, el("button", dialpadtext.T(lang, "dialpad.panel."+v), "id", id, "type", "button", "class", "party-button",
			"data-action", v, "data-label", r.Label, "aria-labelledby", id+" "+nameID))
	}
	return li.Body(kids...)
}

// actionButton is a button of the panel. Like the Call button it stays
// focusable when it cannot be used (aria-disabled; the model refuses the
// action then).
func actionButton(id, class, action, label, name, text string, enabled bool) app.UI {
	if !enabled {
		class += " call-button-disabled"
	}
	return el("button", text, "id", id, "type", "button", "class", class, "data-action", action, "data-label", label,
		"aria-label", name, "aria-disabled", boolString(!enabled))
}

// panelClick acts on the button clicked in the panel, by its data-action.
func (d *Dialpad) panelClick(ctx app.Context, e app.Event) {
	b := e.Get("target").Call("closest", "button[data-action]")
	if b.Truthy() {
		ds := b.Get("dataset")
		d.panelAction(ctx, ds.Get("action").String(), ds.Get("label").String())
	}
}

// panelAction is one of the panel's buttons: a party's Hold, Resume or
// Remove, Complete or Cancel, the picker's Transfer (cold) or Consult
// (warm), or a move between the list, the picker and the number form.
func (d *Dialpad) panelAction(ctx app.Context, action, label string) {
	m := d.m
	switch action {
	case string(call.TransferCold), string(call.TransferWarm):
		d.request(m.TransferTo(m.Tab, call.TransferMode(action)))
	case "pick":
		d.openScreen(ctx, ScreenPicker)
	case "add":
		d.openScreen(ctx, ScreenAdd)
	case "back":
		d.openScreen(ctx, ScreenList)
	default:
		d.request(m.PartyAction(action, label))
	}
}

// openScreen shows the picker, the number form or the list, with focus on
// its first control.
func (d *Dialpad) openScreen(ctx app.Context, s PanelScreen) {
	d.m.OpenScreen(s)
	target := "panel-transfer"
	switch d.m.Panel.Screen {
	case ScreenPicker:
		target = string(d.m.Tab) + "-input"
	case ScreenAdd:
		target = "add-number"
	}
	ctx.Defer(func(app.Context) { focus(target) })
}

func (d *Dialpad) numberInput(ctx app.Context, e app.Event) {
	d.m.SetNumber(ctx.JSSrc().Get("value").String())
}

// submitNumber is Add, or Enter in the number box.
func (d *Dialpad) submitNumber(ctx app.Context, e app.Event) {
	e.PreventDefault()
	d.request(d.m.AddNumber())
}
