package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// CallStatus shows the live status of the call placed from a section, in a
// polite live region so screen readers announce each change.
type CallStatus struct {
	app.Compo

	ID   string
	Text string
	Tone string // see StatusTone
}

func (s *CallStatus) Render() app.UI {
	class := []string{"call-status"}
	if s.Text != "" {
		class = append(class, "call-status-"+s.Tone)
	}
	return app.Div().
		ID("%s", s.ID).
		Class(class...).
		Role("status").
		Aria("live", "polite").
		Text(s.Text)
}
