package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// TabItem is one tab of the tab list.
type TabItem struct {
	Tab   Tab
	Label string
}

// Tabs is the tab list switching between the Call Agent and Call Queue
// sections (WAI-ARIA tabs pattern, automatic activation): one tab stop, arrow
// keys and Home/End move between tabs.
type Tabs struct {
	app.Compo

	ID       string
	Label    string
	Items    []TabItem
	Selected Tab
	OnSelect func(ctx app.Context, t Tab)
}

// TabID and PanelID are the element IDs of a tab and of its panel.
func TabID(t Tab) string   { return "tab-" + string(t) }
func PanelID(t Tab) string { return "panel-" + string(t) }

func (t *Tabs) Render() app.UI {
	return app.Div().
		ID("%s", t.ID).
		Class("tabs").
		Role("tablist").
		Aria("label", t.Label).
		Body(app.Range(t.Items).Slice(func(i int) app.UI {
			it := t.Items[i]
			sel := it.Tab == t.Selected
			class := []string{"tab"}
			tabIndex := -1
			if sel {
				class = append(class, "tab-selected")
				tabIndex = 0
			}
			return app.Button().
				ID("%s", TabID(it.Tab)).
				Type("button").
				Class(class...).
				Role("tab").
				Aria("selected", boolString(sel)).
				Aria("controls", PanelID(it.Tab)).
				TabIndex(tabIndex).
				OnClick(func(ctx app.Context, e app.Event) { t.choose(ctx, it.Tab) }).
				OnKeyDown(func(ctx app.Context, e app.Event) {
					if next, ok := NextTab(t.Items, it.Tab, e.Get("key").String()); ok {
						e.PreventDefault()
						t.choose(ctx, next)
						ctx.Defer(func(app.Context) { focus(TabID(next)) })
					}
				}).
				Text(it.Label)
		}))
}

func (t *Tabs) choose(ctx app.Context, tab Tab) {
	if t.OnSelect != nil {
		t.OnSelect(ctx, tab)
	}
}

// NextTab is the tab a key moves to from current (wrapping, as the tabs
// pattern asks), and whether the key is one the tab list handles.
func NextTab(items []TabItem, current Tab, key string) (Tab, bool) {
	if len(items) == 0 {
		return current, false
	}
	i := 0
	for j, it := range items {
		if it.Tab == current {
			i = j
		}
	}
	switch key {
	case "ArrowRight", "Right":
		i = (i + 1) % len(items)
	case "ArrowLeft", "Left":
		i = (i + len(items) - 1) % len(items)
	case "Home":
		i = 0
	case "End":
		i = len(items) - 1
	default:
		return current, false
	}
	return items[i].Tab, true
}

// focus moves keyboard focus to an element, in the browser.
func focus(id string) {
	if !app.IsClient {
		return
	}
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Call("focus")
	}
}
