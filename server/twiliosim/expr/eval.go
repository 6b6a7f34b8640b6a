package expr

import (
	"encoding/json"
	"strings"
)

// opaque stands for a value of a type the evaluator does not understand; it
// is neither null nor a scalar, so every comparison with it is false.
type opaque struct{}

// normalize maps Go values onto the JSON model the evaluator works on.
func normalize(v any) any {
	switch v := v.(type) {
	case nil, float64, string, bool, []any:
		return v
	case map[string]any:
		if v == nil {
			return nil
		}
		return v
	case int:
		return float64(v)
	case int8:
		return float64(v)
	case int16:
		return float64(v)
	case int32:
		return float64(v)
	case int64:
		return float64(v)
	case uint:
		return float64(v)
	case uint8:
		return float64(v)
	case uint16:
		return float64(v)
	case uint32:
		return float64(v)
	case uint64:
		return float64(v)
	case float32:
		return float64(v)
	case json.Number:
		if f, err := v.Float64(); err == nil {
			return f
		}
	case []string:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out
	}
	return opaque{}
}

func (n *orNode) eval(s *Scope) bool {
	for _, t := range n.terms {
		if t.eval(s) {
			return true
		}
	}
	return false
}

func (n *andNode) eval(s *Scope) bool {
	for _, t := range n.terms {
		if !t.eval(s) {
			return false
		}
	}
	return true
}

func (n *notNode) eval(s *Scope) bool { return !n.x.eval(s) }

func (l *literal) value(*Scope) any   { return l.v }
func (a *arrayLit) value(*Scope) any  { return a.elems }
func (p *pathRef) value(s *Scope) any { return s.resolve(p.segs) }
func (n *cmpNode) eval(s *Scope) bool { return compare(n.op, n.l, n.r, s) }

func isNullLiteral(o operand) bool {
	l, ok := o.(*literal)
	return ok && l.v == nil
}

func isScalar(v any) bool {
	switch v.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

// scalarEqual compares without conversion, so '1' and 1 differ.
func scalarEqual(a, b any) bool { return isScalar(a) && isScalar(b) && a == b }

func compare(op opKind, lo, ro operand, s *Scope) bool {
	l, r := lo.value(s), ro.value(s)
	// A literal null turns == and != into null tests.
	if (op == opEq || op == opNe) && (isNullLiteral(lo) || isNullLiteral(ro)) {
		other := l
		if isNullLiteral(lo) {
			other = r
		}
		return (other == nil) == (op == opEq)
	}
	switch op {
	case opEq:
		return scalarEqual(l, r)
	case opNe:
		return isScalar(l) && isScalar(r) && l != r
	case opLt, opLe, opGt, opGe:
		c, ok := order(l, r)
		if !ok {
			return false
		}
		switch op {
		case opLt:
			return c < 0
		case opLe:
			return c <= 0
		case opGt:
			return c > 0
		}
		return c >= 0
	case opHas:
		return member(r, l)
	case opIn:
		return member(l, r)
	case opNotIn:
		arr, ok := r.([]any)
		return ok && isScalar(l) && !member(l, arr)
	case opContains:
		return contains(l, r)
	}
	return false
}

// order compares two numbers or two strings.
func order(l, r any) (int, bool) {
	switch l := l.(type) {
	case float64:
		if r, ok := r.(float64); ok {
			switch {
			case l < r:
				return -1, true
			case l > r:
				return 1, true
			}
			return 0, true
		}
	case string:
		if r, ok := r.(string); ok {
			return strings.Compare(l, r), true
		}
	}
	return 0, false
}

// member reports whether scalar v is an element of array arr.
func member(v, arr any) bool {
	a, ok := arr.([]any)
	if !ok || !isScalar(v) {
		return false
	}
	for _, e := range a {
		if scalarEqual(normalize(e), v) {
			return true
		}
	}
	return false
}

func contains(l, r any) bool {
	sub, ok := r.(string)
	if !ok {
		return false
	}
	switch l := l.(type) {
	case string:
		return strings.Contains(l, sub)
	case []any:
		for _, e := range l {
			if s, ok := normalize(e).(string); ok && strings.Contains(s, sub) {
				return true
			}
		}
	}
	return false
}
