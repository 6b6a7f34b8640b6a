package ui

// KeyAction is what a key press in a combobox's text box asks for.
type KeyAction int

const (
	// KeyIgnored: not ours; the text box handles it (typing, caret moves).
	KeyIgnored KeyAction = iota
	// KeyMoved: the listbox opened or the active option changed.
	KeyMoved
	// KeyChoose: select the active option.
	KeyChoose
	// KeyClosed: the listbox closed.
	KeyClosed
	// KeyClear: Escape on a closed listbox: clear the text.
	KeyClear
	// KeyPlace: Enter on a chosen target: place the call.
	KeyPlace
)

// ListNav is the keyboard state of a combobox's listbox (WAI-ARIA combobox
// pattern, list autocomplete with automatic selection): whether the listbox
// is open and which option is active (-1: none).
type ListNav struct {
	Open   bool
	Active int
}

// Reset is the state for a new list of n options: open when there is
// something to show, the first option active so Enter takes the best match.
func (l *ListNav) Reset(n int, open bool) {
	l.Open = open && n > 0
	l.Active = -1
	if l.Open {
		l.Active = 0
	}
}

// Close hides the listbox.
func (l *ListNav) Close() {
	l.Open = false
	l.Active = -1
}

// Key applies one key press with n options shown. Arrow keys open the listbox
// and move without wrapping; Alt+ArrowDown only opens it; Home/End jump to
// the first/last option while it is open (else they move the caret); Enter
// chooses the active option; Escape closes the listbox, or clears the text
// when it is already closed.
func (l *ListNav) Key(key string, alt bool, n int) KeyAction {
	switch key {
	case "ArrowDown", "Down":
		if n == 0 {
			return KeyIgnored
		}
		switch {
		case !l.Open:
			l.Open = true
			if alt {
				l.Active = -1
			} else if l.Active < 0 || l.Active >= n {
				l.Active = 0
			}
		case l.Active < n-1:
			l.Active++
		}
		return KeyMoved
	case "ArrowUp", "Up":
		if n == 0 {
			return KeyIgnored
		}
		switch {
		case alt && l.Open:
			l.Close()
			return KeyClosed
		case !l.Open:
			l.Open = true
			l.Active = n - 1
		case l.Active > 0:
			l.Active--
		case l.Active < 0:
			l.Active = n - 1
		}
		return KeyMoved
	case "Home", "End":
		if !l.Open || n == 0 {
			return KeyIgnored
		}
		l.Active = 0
		if key == "End" {
			l.Active = n - 1
		}
		return KeyMoved
	case "Enter":
		if l.Open && l.Active >= 0 && l.Active < n {
			return KeyChoose
		}
		return KeyIgnored
	case "Escape", "Esc":
		if l.Open {
			l.Close()
			return KeyClosed
		}
		return KeyClear
	}
	return KeyIgnored
}
