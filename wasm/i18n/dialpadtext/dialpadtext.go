// Package dialpadtext is the dialpad's strings, one file per language (the
// bridge, which has strings of its own, does not carry these). Keys start
// with "dialpad."; {name} placeholders are filled by F.
package dialpadtext

import (
	"fmt"

	"github.com/flex-internal-call/internal-call/wasm/i18n"
)

// Strings is the dialpad's catalogue; each language file fills its entry.
var Strings = i18n.Catalogue{}

// T returns the string for key in lang, falling back to English, then to the key.
func T(lang, key string) string { return Strings.T(lang, key) }

// F is T with each {name} placeholder replaced; args alternate name, value
// (values are formatted with fmt.Sprint).
func F(lang, key string, args ...any) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = fmt.Sprint(a)
	}
	return Strings.F(lang, key, s...)
}
