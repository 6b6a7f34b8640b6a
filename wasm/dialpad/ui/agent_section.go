package ui

import (
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// SectionView is everything a section renders, computed from the model.
type SectionView struct {
	Lang       string
	Heading    string // shown when the section is alone (no tab list)
	Labelled   string // ID of the element naming the panel
	Text       string
	Open       bool
	Active     int
	Options    []Option
	Results    string
	Note       string // loading, empty or error message
	NoteError  bool
	Warning    string
	NoMatches  string // shown when the search found nothing (the live region says it too)
	CallOff    string // why Call is off, when a call is under way
	CanCall    bool
	Busy       bool
	Placing    bool   // between the click and the bridge's first report
	CallName   string // the selection's name, for the button's accessible name
	Status     string
	StatusTone string
	// Transfer makes the section a participants panel's picker: Back,
	// Consult and Transfer instead of Call.
	Transfer bool
}

// SectionActions are the section's callbacks into the dialpad.
type SectionActions struct {
	OnText  func(ctx app.Context, text string)
	OnKey   func(ctx app.Context, key string, alt bool) KeyAction
	OnPick  func(ctx app.Context, i int)
	OnClose func(ctx app.Context)
	OnCall  func(ctx app.Context)
}

// AgentSection is the Call Agent section: the directory's autocomplete, the
// warning about a busy agent, the Call button and the call's status.
type AgentSection struct {
	app.Compo

	View    SectionView
	Actions SectionActions
}

func (s *AgentSection) Render() app.UI {
	return renderSection(TabAgent, s.View, s.Actions,
		dialpadtext.T(s.View.Lang, "dialpad.agent.label"), dialpadtext.T(s.View.Lang, "dialpad.agent.placeholder"))
}

// renderSection is the layout both sections share.
func renderSection(tab Tab, v SectionView, a SectionActions, label, placeholder string) app.UI {
	id := string(tab)
	warnID := ""
	if v.Warning != "" {
		warnID = id + "-warning"
	}
	callLabel := dialpadtext.T(v.Lang, "dialpad.call")
	callName := ""
	if v.CallName != "" {
		callName = dialpadtext.F(v.Lang, "dialpad.call.agent", "name", v.CallName)
	}
	if v.Placing {
		callLabel = dialpadtext.T(v.Lang, "dialpad.call.placing")
	}
	var actions app.UI
	if v.Transfer {
		actions = transferButtons(id, v)
	} else {
		actions = app.Div().Class("actions").Body(
			&CallButton{ID: id + "-call", Label: callLabel, Name: callName, Enabled: v.CanCall, Busy: v.Busy, OnCall: a.OnCall},
		)
	}
	panel := app.Section().ID("%s", PanelID(tab)).Class("section")
	if v.Labelled != "" {
		panel = panel.Role("tabpanel").Aria("labelledby", v.Labelled)
	}
	return panel.Body(
		app.If(v.Heading != "", func() app.UI {
			return app.H2().ID("%s", id+"-heading").Class("section-heading").Text(v.Heading)
		}),
		&Combobox{
			ID: id, Label: label, Placeholder: placeholder,
			Text: v.Text, Open: v.Open, Active: v.Active, Options: v.Options, Results: v.Results,
			DescribedBy: warnID, Slots: MaxRows,
			OnText: a.OnText, OnKey: a.OnKey, OnPick: a.OnPick, OnClose: a.OnClose,
		},
		app.If(v.NoMatches != "", func() app.UI {
			// Announced by the combobox's live region already.
			return app.P().Class("note", "no-matches").Aria("hidden", "true").Text(v.NoMatches)
		}),
		app.If(v.Note != "", func() app.UI {
			class := "note"
			role := ""
			if v.NoteError {
				class, role = "note note-error", "alert"
			}
			p := app.P().Class(class).Text(v.Note)
			if role != "" {
				p = p.Role(role)
			}
			return p
		}),
		app.If(v.Warning != "", func() app.UI {
			return app.P().ID("%s", warnID).Class("warning").Text(v.Warning)
		}),
		actions,
		app.If(v.CallOff != "", func() app.UI {
			return app.P().ID("%s", id+"-call-off").Class("note", "call-off").Text(v.CallOff)
		}),
		&CallStatus{ID: id + "-status", Text: v.Status, Tone: v.StatusTone},
	)
}

// transferButtons are a participants panel picker's Back, Consult (warm)
// and Transfer (cold); the panel's click listener acts on them. Like Call,
// they say whom (aria-describedby: the box holding the chosen name).
func transferButtons(id string, v SectionView) app.UI {
	button := func(suffix, mode string) app.UI {
		class := "call-button"
		if !v.CanCall {
			class += " call-button-disabled"
		}
		return el("button", dialpadtext.T(v.Lang, "dialpad.panel.mode."+mode), "id", id+"-"+suffix, "type", "button", "class", class,
			"data-action", mode, "aria-describedby", id+"-input", "aria-disabled", boolString(!v.CanCall))
	}
	return el("div", "", "class", "actions").Body(
		actionButton(id+"-back", "quiet-button", "back", "", "", dialpadtext.T(v.Lang, "dialpad.panel.back"), true),
		button("consult", "warm"),
		button("transfer", "cold"),
	)
}
