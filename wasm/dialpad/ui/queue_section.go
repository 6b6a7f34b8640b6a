package ui

import (
	"github.com/flex-internal-call/internal-call/wasm/i18n/dialpadtext"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// QueueSection is the Call Queue section: the callable queues with their
// available agents, the Call button and the call's status.
type QueueSection struct {
	app.Compo

	View    SectionView
	Actions SectionActions
}

func (s *QueueSection) Render() app.UI {
	return renderSection(TabQueue, s.View, s.Actions,
		dialpadtext.T(s.View.Lang, "dialpad.queue.label"), dialpadtext.T(s.View.Lang, "dialpad.queue.placeholder"))
}
