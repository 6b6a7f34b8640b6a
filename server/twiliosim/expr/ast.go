package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// node is a boolean-valued part of the tree.
type node interface {
	eval(s *Scope) bool
	write(b *strings.Builder)
}

// operand is a value-valued part of the tree.
type operand interface {
	value(s *Scope) any
	write(b *strings.Builder)
}

type opKind int

const (
	opEq opKind = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opHas
	opContains
	opIn
	opNotIn
)

var opText = [...]string{"==", "!=", "<", "<=", ">", ">=", "HAS", "CONTAINS", "IN", "NOT IN"}

type (
	orNode  struct{ terms []node }
	andNode struct{ terms []node }
	notNode struct{ x node }
	cmpNode struct {
		op   opKind
		l, r operand
	}
	literal  struct{ v any } // string, float64, bool or nil
	arrayLit struct{ elems []any }
	pathRef  struct{ segs []segment }
)

// Nested AND/OR groups are always parenthesised so that String output parses
// back to the same tree, whatever the precedence rules.
func writeTerms(b *strings.Builder, terms []node, sep string) {
	for i, t := range terms {
		if i > 0 {
			b.WriteString(sep)
		}
		writeGrouped(b, t)
	}
}

func writeGrouped(b *strings.Builder, n node) {
	switch n.(type) {
	case *orNode, *andNode:
		b.WriteByte('(')
		n.write(b)
		b.WriteByte(')')
	default:
		n.write(b)
	}
}

func (n *orNode) write(b *strings.Builder)  { writeTerms(b, n.terms, " OR ") }
func (n *andNode) write(b *strings.Builder) { writeTerms(b, n.terms, " AND ") }

func (n *notNode) write(b *strings.Builder) {
	b.WriteString("NOT ")
	if _, ok := n.x.(*notNode); ok {
		n.x.write(b)
		return
	}
	b.WriteByte('(')
	n.x.write(b)
	b.WriteByte(')')
}

func (n *cmpNode) write(b *strings.Builder) {
	n.l.write(b)
	b.WriteByte(' ')
	b.WriteString(opText[n.op])
	b.WriteByte(' ')
	n.r.write(b)
}

func (l *literal) write(b *strings.Builder) { writeConst(b, l.v) }

func (a *arrayLit) write(b *strings.Builder) {
	b.WriteByte('[')
	for i, v := range a.elems {
		if i > 0 {
			b.WriteString(", ")
		}
		writeConst(b, v)
	}
	b.WriteByte(']')
}

func (p *pathRef) write(b *strings.Builder) {
	for i, s := range p.segs {
		switch {
		case s.isIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		case i > 0:
			b.WriteByte('.')
			fallthrough
		default:
			b.WriteString(s.name)
		}
	}
}

func writeConst(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case string:
		writeQuoted(b, v)
	}
}

// writeQuoted emits a double-quoted string using only escapes the lexer
// reads back; other bytes, even invalid UTF-8, are copied as they are.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatUint(uint64(c)>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(c)&0xf, 16))
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		i++
	}
	b.WriteByte('"')
}
