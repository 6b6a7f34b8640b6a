package ui

import (
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// MissedList shows the agent's missed calls, each with Call back and
// Dismiss. Call back stays focusable when it cannot be used (a call is under
// way), like the Call button.
type MissedList struct {
	app.Compo

	Lang        string
	Items       []frameproto.MissedCall
	Text        func(frameproto.MissedCall) string
	CanCallBack bool
	OnCallBack  func(ctx app.Context, id string)
	OnDismiss   func(ctx app.Context, id string)
}

func (l *MissedList) Render() app.UI {
	heading := dialpadtext.T(l.Lang, "dialpad.missed.heading")
	return app.Section().ID("missed").Class("missed").Aria("label", heading).Body(
		app.Ul().Class("missed-list").Body(
			app.Range(l.Items).Slice(func(i int) app.UI {
				c := l.Items[i]
				name := missedName(c)
				back := []string{"missed-callback"}
				if !l.CanCallBack {
					back = append(back, "call-button-disabled")
				}
				return app.Li().ID("missed-%s", c.ID).Class("missed-item").DataSet("id", c.ID).Body(
					app.Span().Class("missed-text").Text(l.Text(c)),
					app.Button().Type("button").Class(back...).Aria("disabled", boolString(!l.CanCallBack)).
						Aria("label", dialpadtext.F(l.Lang, "dialpad.missed.callback.label", "name", name)).
						OnClick(func(ctx app.Context, e app.Event) {
							if l.CanCallBack && l.OnCallBack != nil {
								l.OnCallBack(ctx, c.ID)
							}
						}).Text(dialpadtext.T(l.Lang, "dialpad.missed.callback")),
					app.Button().Type("button").Class("missed-dismiss").
						Aria("label", dialpadtext.F(l.Lang, "dialpad.missed.dismiss", "name", name)).
						OnClick(func(ctx app.Context, e app.Event) {
							if l.OnDismiss != nil {
								l.OnDismiss(ctx, c.ID)
							}
						}).Text("×"),
				)
			}),
		),
	)
}
