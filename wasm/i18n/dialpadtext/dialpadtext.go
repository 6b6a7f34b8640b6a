// Package dialpadtext is the dialpad's strings, one file per language (the
// bridge, which has strings of its own, does not carry these). Keys start
// with "dialpad."; {name} placeholders are filled by F.
package dialpadtext

import "github.com/flex-internal-call/internal-call/wasm/i18n"

// Strings is the dialpad's catalogue; each language file fills its entry.
var Strings = i18n.Catalogue{}

// T returns the string for key in lang, falling back to English, then to the key.
//
// Not inlined: its three map lookups at each of the dialpad's many call
// sites cost tens of kilobytes of WebAssembly, and a lookup per string
// rendered is nothing next to rendering it.
//
//go:noinline
func T(lang, key string) string { return Strings.T(lang, key) }

// F is T with each {name} placeholder replaced; args alternate name, value
// (strings: numbers are formatted by the caller, so that no call site boxes
// its values into interfaces).
func F(lang, key string, args ...string) string { return Strings.F(lang, key, args...) }
