package expr

import "strings"

// Expr is a parsed expression. It is immutable and safe for concurrent use.
type Expr struct {
	root node
}

// Parse compiles src, refusing anything TaskRouter would refuse when the
// TaskQueue or Workflow is created. Errors are *SyntaxError.
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tEOF {
		return nil, errAt(src, 0, "empty expression")
	}
	p := &parser{src: src, toks: toks}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	return &Expr{root: root}, nil
}

// Eval reports whether the expression holds in s. It never panics: values of
// the wrong type or shape just make a comparison false.
func (e *Expr) Eval(s Scope) bool {
	if e == nil || e.root == nil {
		return false
	}
	return e.root.eval(&s)
}

// String renders the expression in a canonical form (upper-case keywords,
// double-quoted strings, explicit grouping) that Parse reads back to the
// same expression.
func (e *Expr) String() string {
	if e == nil || e.root == nil {
		return "<nil>"
	}
	var b strings.Builder
	e.root.write(&b)
	return b.String()
}

// Match parses src and evaluates it in s.
func Match(src string, s Scope) (bool, error) {
	e, err := Parse(src)
	if err != nil {
		return false, err
	}
	return e.Eval(s), nil
}
