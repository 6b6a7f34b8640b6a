package expr

import "fmt"

// maxDepth bounds nesting so hostile input cannot exhaust the stack; real
// routing expressions nest a handful of levels at most.
const maxDepth = 200

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) fail(t token, format string, args ...any) error {
	return errAt(p.src, t.pos, format, args...)
}

func describe(t token) string {
	if t.kind == tEOF {
		return t.text
	}
	return fmt.Sprintf("%q", t.text)
}

// parse reads a whole expression; anything left over is an error, which is
// how a stray ')' or a second comparison without AND/OR gets reported.
func (p *parser) parse() (node, error) {
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, p.fail(t, "unbalanced parenthesis: unexpected ')'")
		}
		return nil, p.fail(t, "unexpected %s, expected AND, OR or end of expression", describe(t))
	}
	return n, nil
}

func (p *parser) or() (node, error) {
	return p.chain(tOr, p.and, func(ts []node) node { return &orNode{ts} })
}

func (p *parser) and() (node, error) {
	return p.chain(tAnd, p.unary, func(ts []node) node { return &andNode{ts} })
}

// chain parses term { sep term } into one n-ary node.
func (p *parser) chain(sep tokKind, term func() (node, error), mk func([]node) node) (node, error) {
	first, err := term()
	if err != nil {
		return nil, err
	}
	terms := []node{first}
	for p.peek().kind == sep {
		p.next()
		t, err := term()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return mk(terms), nil
}

func (p *parser) unary() (node, error) {
	t := p.peek()
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail(t, "expression nested too deeply")
	}
	defer func() { p.depth-- }()
	switch t.kind {
	case tNot:
		p.next()
		if p.peek().kind == tIn {
			return nil, p.fail(p.peek(), "NOT IN needs a value on its left")
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &notNode{x}, nil
	case tLParen:
		p.next()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tRParen {
			if c.kind == tEOF {
				return nil, p.fail(t, "unbalanced parenthesis: '(' is never closed")
			}
			return nil, p.fail(c, "unexpected %s, expected ')'", describe(c))
		}
		p.next()
		return x, nil
	}
	return p.comparison()
}

var binOps = map[tokKind]opKind{
	tEq: opEq, tNe: opNe, tLt: opLt, tLe: opLe, tGt: opGt, tGe: opGe,
	tHas: opHas, tContains: opContains, tIn: opIn,
}

func (p *parser) comparison() (node, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.next()
	op, ok := binOps[t.kind]
	if t.kind == tNot {
		if p.peek().kind != tIn {
			return nil, p.fail(p.peek(), "expected IN after NOT, found %s", describe(p.peek()))
		}
		p.next()
		op, ok = opNotIn, true
	}
	if !ok {
		return nil, p.fail(t, "expected a comparison operator, found %s", describe(t))
	}
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	return &cmpNode{op: op, l: l, r: r}, nil
}

func (p *parser) operand() (operand, error) {
	t := p.peek()
	if t.kind == tPath {
		p.next()
		return &pathRef{t.path}, nil
	}
	if t.kind == tLBrack {
		return p.array()
	}
	v, err := p.constant("a value")
	if err != nil {
		return nil, err
	}
	return &literal{v}, nil
}

// constant reads a string, number, boolean or null.
func (p *parser) constant(want string) (any, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return t.str, nil
	case tNumber:
		return t.num, nil
	case tTrue:
		return true, nil
	case tFalse:
		return false, nil
	case tNull:
		return nil, nil
	}
	return nil, p.fail(t, "expected %s, found %s", want, describe(t))
}

// array reads a literal list of constants; attribute references are not
// allowed inside it.
func (p *parser) array() (operand, error) {
	open := p.next()
	a := &arrayLit{elems: []any{}}
	if p.peek().kind == tRBrack {
		p.next()
		return a, nil
	}
	for {
		if p.peek().kind == tEOF {
			return nil, p.fail(open, "unbalanced bracket: '[' is never closed")
		}
		v, err := p.constant("a constant in the list")
		if err != nil {
			return nil, err
		}
		a.elems = append(a.elems, v)
		switch t := p.next(); t.kind {
		case tRBrack:
			return a, nil
		case tComma:
		case tEOF:
			return nil, p.fail(open, "unbalanced bracket: '[' is never closed")
		default:
			return nil, p.fail(t, "expected ',' or ']' in list, found %s", describe(t))
		}
	}
}
