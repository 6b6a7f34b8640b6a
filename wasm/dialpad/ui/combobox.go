package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Combobox is an editable combobox with a listbox popup (WAI-ARIA combobox
// pattern): focus stays in the text box, the active option is announced
// through aria-activedescendant, and the result count through a live region.
// It holds no state: the parent's model does, through the callbacks.
type Combobox struct {
	app.Compo

	ID          string // prefix of every element ID
	Label       string
	Placeholder string
	Text        string
	Open        bool
	Active      int
	Options     []Option
	Results     string // live region text
	DescribedBy string // ID of the text describing the selection (warning), if any
	// Slots is how many option elements stay in the DOM (at least
	// len(Options)); unused ones are hidden. Typing then updates a few texts
	// and classes in place instead of creating and removing rows.
	Slots int

	OnText  func(ctx app.Context, text string)
	OnKey   func(ctx app.Context, key string, alt bool) KeyAction
	OnPick  func(ctx app.Context, i int)
	OnClose func(ctx app.Context)
}

// OptionID is the element ID of option i.
func OptionID(comboID string, i int) string { return comboID + "-opt-" + strconv.Itoa(i) }

func (c *Combobox) Render() app.UI {
	listID := c.ID + "-listbox"
	active := ""
	if c.Open && c.Active >= 0 && c.Active < len(c.Options) {
		active = OptionID(c.ID, c.Active)
	}
	input := app.Input().
		ID("%s", c.ID+"-input").
		Class("combobox-input").
		Type("text").
		Role("combobox").
		Aria("autocomplete", "list").
		Aria("expanded", strconv.FormatBool(c.Open)).
		Aria("controls", listID).
		AutoComplete(false).
		Spellcheck(false).
		Placeholder("%s", c.Placeholder).
		Value(c.Text).
		OnInput(c.input).
		OnKeyDown(c.keyDown).
		OnBlur(c.blur)
	if active != "" {
		input = input.Aria("activedescendant", active)
	}
	if c.DescribedBy != "" {
		input = input.Aria("describedby", c.DescribedBy)
	}
	return app.Div().Class("combobox").Body(
		app.Label().ID("%s", c.ID+"-label").For("%s", c.ID+"-input").Class("field-label").Text(c.Label),
		input,
		// One pair of listeners on the listbox rather than per option: a new
		// list of 50 rows costs no listener at all.
		app.Ul().
			ID("%s", listID).
			Class("listbox").
			Role("listbox").
			Aria("labelledby", c.ID+"-label").
			Hidden(!c.Open).
			// Keep focus in the text box when an option is clicked.
			OnMouseDown(func(ctx app.Context, e app.Event) { e.PreventDefault() }).
			OnClick(c.click).
			Body(app.Range(make([]struct{}, max(c.Slots, len(c.Options)))).Slice(c.option)),
		app.Div().Class("visually-hidden").Role("status").Aria("live", "polite").Aria("atomic", "true").Text(c.Results),
	)
}

func (c *Combobox) option(i int) app.UI {
	if i >= len(c.Options) {
		return app.Li().ID("%s", OptionID(c.ID, i)).Class("option").Hidden(true).Body(
			app.Span().Class("option-label"), app.Span().Class("option-detail"))
	}
	o := c.Options[i]
	class := []string{"option"}
	if i == c.Active && c.Open {
		class = append(class, "option-active")
	}
	if o.Disabled {
		class = append(class, "option-disabled")
	}
	if o.Warn {
		class = append(class, "option-warn")
	}
	if o.Dot != "" {
		class = append(class, "dot", "dot-"+o.Dot) // drawn by CSS, silent for screen readers
	}
	li := app.Li().
		ID("%s", OptionID(c.ID, i)).
		Class(class...).
		Role("option").
		Aria("selected", strconv.FormatBool(i == c.Active && c.Open))
	if o.Disabled {
		li = li.Aria("disabled", "true")
	}
	return li.Body(
		app.Span().Class("option-label").Text(o.Label),
		app.Span().Class("option-detail").Text(o.Detail),
	)
}

// click picks the option under the pointer.
func (c *Combobox) click(ctx app.Context, e app.Event) {
	opt := e.Get("target").Call("closest", `[role="option"]`)
	if c.OnPick == nil || !opt.Truthy() {
		return
	}
	if i, ok := OptionIndex(c.ID, opt.Get("id").String()); ok {
		c.OnPick(ctx, i)
	}
}

// OptionIndex is the inverse of OptionID.
func OptionIndex(comboID, elementID string) (int, bool) {
	s, ok := strings.CutPrefix(elementID, comboID+"-opt-")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	return i, err == nil && i >= 0
}

func (c *Combobox) input(ctx app.Context, e app.Event) {
	if c.OnText != nil {
		c.OnText(ctx, ctx.JSSrc().Get("value").String())
	}
}

func (c *Combobox) keyDown(ctx app.Context, e app.Event) {
	if c.OnKey == nil {
		return
	}
	a := c.OnKey(ctx, e.Get("key").String(), e.Get("altKey").Bool())
	if a == KeyIgnored {
		return
	}
	e.PreventDefault()
	if a == KeyMoved {
		ctx.Defer(c.scrollActive)
	}
}

// scrollActive keeps the active option visible in the scrolling listbox.
func (c *Combobox) scrollActive(ctx app.Context) {
	if !app.IsClient || c.Active < 0 {
		return
	}
	if el := app.Window().GetElementByID(OptionID(c.ID, c.Active)); el.Truthy() {
		el.Call("scrollIntoView", map[string]any{"block": "nearest"})
	}
}

func (c *Combobox) blur(ctx app.Context, e app.Event) {
	if c.OnClose != nil {
		c.OnClose(ctx)
	}
}
