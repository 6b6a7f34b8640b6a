package expr

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tPath
	tString
	tNumber
	tTrue
	tFalse
	tNull
	tAnd
	tOr
	tNot
	tIn
	tHas
	tContains
	tEq
	tNe
	tLt
	tLe
	tGt
	tGe
	tLParen
	tRParen
	tLBrack
	tRBrack
	tComma
)

// token is one lexeme; text is the source spelling, used in error messages.
type token struct {
	kind tokKind
	pos  int
	text string
	str  string    // decoded value of a tString
	num  float64   // value of a tNumber
	path []segment // segments of a tPath
}

// segment is one step of a path: a key, or an array index when isIndex.
type segment struct {
	name    string
	index   int
	isIndex bool
}

var keywords = map[string]tokKind{
	"and": tAnd, "or": tOr, "not": tNot, "in": tIn, "has": tHas,
	"contains": tContains, "true": tTrue, "false": tFalse, "null": tNull,
}

// lex splits src into tokens, ending with tEOF. It stops at the first error.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(src) && strings.IndexByte(" \t\r\n", src[i]) >= 0 {
			i++
		}
		if i >= len(src) {
			return append(toks, token{kind: tEOF, pos: i, text: "end of expression"}), nil
		}
		tok, next, err := lexOne(src, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
		i = next
	}
}

func lexOne(src string, i int) (token, int, error) {
	c := src[i]
	two := ""
	if i+1 < len(src) {
		two = src[i : i+2]
	}
	simple := func(k tokKind, n int) (token, int, error) {
		return token{kind: k, pos: i, text: src[i : i+n]}, i + n, nil
	}
	switch {
	case two == "==":
		return simple(tEq, 2)
	case two == "!=":
		return simple(tNe, 2)
	case two == "<=":
		return simple(tLe, 2)
	case two == ">=":
		return simple(tGe, 2)
	case two == "&&":
		return simple(tAnd, 2)
	case two == "||":
		return simple(tOr, 2)
	}
	switch c {
	case '=':
		return simple(tEq, 1)
	case '!':
		return simple(tNot, 1)
	case '<':
		return simple(tLt, 1)
	case '>':
		return simple(tGt, 1)
	case '(':
		return simple(tLParen, 1)
	case ')':
		return simple(tRParen, 1)
	case '[':
		return simple(tLBrack, 1)
	case ']':
		return simple(tRBrack, 1)
	case ',':
		return simple(tComma, 1)
	case '\'', '"':
		return lexString(src, i)
	}
	if c >= '0' && c <= '9' {
		return lexNumber(src, i)
	}
	if r, _ := utf8.DecodeRuneInString(src[i:]); isNameStart(r) {
		return lexPath(src, i)
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	switch r {
	case '&', '|':
		return token{}, 0, errAt(src, i, "unknown operator %q (use %q)", string(r), strings.Repeat(string(r), 2))
	case '-':
		return token{}, 0, errAt(src, i, "unexpected '-': TaskRouter expressions do not support hyphens")
	case utf8.RuneError:
		return token{}, 0, errAt(src, i, "invalid UTF-8")
	}
	return token{}, 0, errAt(src, i, "unexpected character %q", r)
}

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isNameChar(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func scanName(src string, i int) int {
	for i < len(src) {
		r, n := utf8.DecodeRuneInString(src[i:])
		if !isNameChar(r) {
			break
		}
		i += n
	}
	return i
}

// lexPath reads a keyword or a dotted path with optional [n] indices. Only a
// leading name can be a keyword, so `task.in` is a path while `x IN[1]` still
// reads as IN followed by an array literal.
func lexPath(src string, start int) (token, int, error) {
	i := scanName(src, start)
	first := src[start:i]
	if k, ok := keywords[strings.ToLower(first)]; ok {
		return token{kind: k, pos: start, text: first}, i, nil
	}
	segs := []segment{{name: first}}
	for i < len(src) {
		switch src[i] {
		case '.':
			r, _ := utf8.DecodeRuneInString(src[i+1:])
			if i+1 >= len(src) || !isNameStart(r) {
				return token{}, 0, errAt(src, i+1, "expected an attribute name after '.'")
			}
			end := scanName(src, i+1)
			segs = append(segs, segment{name: src[i+1 : end]})
			i = end
			continue
		case '[':
			j := i + 1
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			if j == i+1 || j >= len(src) || src[j] != ']' {
				break // not an index: let the parser report the stray '['
			}
			n, err := strconv.Atoi(src[i+1 : j])
			if err != nil || n > math.MaxInt32 {
				return token{}, 0, errAt(src, i+1, "array index %s out of range", src[i+1:j])
			}
			segs = append(segs, segment{index: n, isIndex: true})
			i = j + 1
			continue
		}
		break
	}
	return token{kind: tPath, pos: start, text: src[start:i], path: segs}, i, nil
}

func lexNumber(src string, start int) (token, int, error) {
	digits := func(i int) int {
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
		return i
	}
	i := digits(start)
	if i < len(src) && src[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return token{}, 0, errAt(src, start, "malformed number %q", src[start:i+1])
		}
		i = j
	}
	if r, _ := utf8.DecodeRuneInString(src[i:]); i < len(src) && (isNameChar(r) || r == '.') {
		end := scanName(src, i)
		if end == i {
			end = i + 1
		}
		return token{}, 0, errAt(src, start, "malformed number %q", src[start:end])
	}
	f, err := strconv.ParseFloat(src[start:i], 64)
	if err != nil || math.IsInf(f, 0) {
		return token{}, 0, errAt(src, start, "number %s out of range", src[start:i])
	}
	return token{kind: tNumber, pos: start, text: src[start:i], num: f}, i, nil
}

var simpleEscapes = map[byte]string{
	'\\': "\\", '\'': "'", '"': "\"", '/': "/",
	'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t",
}

func lexString(src string, start int) (token, int, error) {
	q := src[start]
	var b strings.Builder
	i := start + 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == q:
			return token{kind: tString, pos: start, text: src[start : i+1], str: b.String()}, i + 1, nil
		case c != '\\':
			b.WriteByte(c)
			i++
		case i+1 >= len(src):
			i++ // reported as unterminated below
		case src[i+1] == 'u':
			r, n, ok := unicodeEscape(src, i)
			if !ok {
				return token{}, 0, errAt(src, i, "malformed \\u escape")
			}
			b.WriteRune(r)
			i += n
		default:
			s, ok := simpleEscapes[src[i+1]]
			if !ok {
				r, _ := utf8.DecodeRuneInString(src[i+1:])
				return token{}, 0, errAt(src, i, "unknown escape \\%c", r)
			}
			b.WriteString(s)
			i += 2
		}
	}
	return token{}, 0, errAt(src, start, "unterminated string")
}

// unicodeEscape decodes \uXXXX at src[i:], joining a UTF-16 surrogate pair
// when one follows, and returns the rune and the bytes consumed.
func unicodeEscape(src string, i int) (rune, int, bool) {
	hex4 := func(j int) (rune, bool) {
		if j+6 > len(src) || src[j] != '\\' || src[j+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(src[j+2:j+6], 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex4(i)
	if !ok {
		return 0, 0, false
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := hex4(i + 6); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, 12, true
			}
		}
	}
	return r, 6, true
}
