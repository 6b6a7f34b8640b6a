// Package search ranks the dialpad's candidates (agents and queues) for what
// the agent types. It is plain Go without go-app so that it is unit-tested and
// benchmarked natively.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinBase is the unaccented lower-case letter of each code point from
// U+00C0 to U+017F ('.' where the letter has no single-letter base: see latinSpecial).
const latinBase = "aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.yaaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll....nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz."

// latinSpecial folds the letters of that range that are not a base letter plus marks.
var latinSpecial = map[rune]string{
	'Æ': "ae", 'æ': "ae", 'Ð': "d", 'ð': "d", 'Ø': "o", 'ø': "o", 'Þ': "th", 'þ': "th",
	'ß': "ss", 'Đ': "d", 'đ': "d", 'Ħ': "h", 'ħ': "h", 'ı': "i", 'Ĳ': "ij", 'ĳ': "ij",
	'ĸ': "k", 'Ŀ': "l", 'ŀ': "l", 'Ł': "l", 'ł': "l", 'ŉ': "n", 'Ŋ': "n", 'ŋ': "n",
	'Œ': "oe", 'œ': "oe", 'Ŧ': "t", 'ŧ': "t", 'ſ': "s",
}

// Fold returns s in the form searches compare: lower case, without Latin
// accents (precomposed or combining), every run of spaces and punctuation that
// separates words turned into one space, trimmed. Scripts without case or
// Latin accents (Thai, Chinese) pass through unchanged.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading separators
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r == '\'' {
				continue // "O'Brien" is found as "obrien"
			}
			if isSeparator(r) {
				if !space {
					b.WriteByte(' ')
					space = true
				}
				continue
			}
			b.WriteByte(byte(r))
			space = false
			continue
		case r >= 0x300 && r <= 0x36F: // combining diacritical marks
			continue
		case r >= 0xC0 && r <= 0x17F:
			if c := latinBase[r-0xC0]; c != '.' {
				b.WriteByte(c)
			} else if sp, ok := latinSpecial[r]; ok {
				b.WriteString(sp)
			} else {
				continue // × and ÷
			}
			space = false
			continue
		case r == '’':
			continue
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// isSeparator reports the ASCII characters that separate words in names
// ("ana.lopez", "bob_smith", "client:ana"). Letters, digits and '@' stay.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '.', '_', '-', ',', ';', ':', '/', '(', ')', '[', ']', '"':
		return true
	}
	return false
}
