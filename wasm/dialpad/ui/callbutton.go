package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// CallButton places the call. It stays focusable when it cannot be used
// (aria-disabled rather than disabled) so keyboard focus is not lost while a
// call is placed; clicks are ignored then.
type CallButton struct {
	app.Compo

	ID      string
	Label   string
	Name    string // accessible name, e.g. "Call Ana López"
	Enabled bool
	Busy    bool // a call is being placed or under way
	OnCall  func(ctx app.Context)
}

func (b *CallButton) Render() app.UI {
	class := []string{"call-button"}
	if !b.Enabled {
		class = append(class, "call-button-disabled")
	}
	btn := app.Button().
		ID("%s", b.ID).
		Type("button").
		Class(class...).
		Aria("disabled", boolString(!b.Enabled)).
		Aria("busy", boolString(b.Busy)).
		OnClick(b.click).
		Text(b.Label)
	if b.Name != "" {
		btn = btn.Aria("label", b.Name)
	}
	return btn
}

func (b *CallButton) click(ctx app.Context, e app.Event) {
	if b.Enabled && b.OnCall != nil {
		b.OnCall(ctx)
	}
}

func boolString(v bool) string {
	if v {
		return "true"
	}
	return "false"
}
