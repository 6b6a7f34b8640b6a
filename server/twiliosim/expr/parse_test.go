package expr

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		src    string
		column int
		msg    string // substring of the message
	}{
		{"", 1, "empty expression"},
		{"   ", 1, "empty expression"},
		{"(1 == 1", 1, "'(' is never closed"},
		{"((1 == 1)", 1, "'(' is never closed"},
		{"1 == 1)", 7, "unexpected ')'"},
		{"()", 2, "expected a value"},
		{"1 == 1 AND", 11, "expected a value, found end of expression"},
		{"1 == 1 OR OR 1 == 1", 11, `found "OR"`},
		{"AND 1 == 1", 1, `found "AND"`},
		{"1 ==", 5, "expected a value"},
		{"== 1", 1, "expected a value"},
		{"1", 2, "expected a comparison operator, found end of expression"},
		{"true", 5, "expected a comparison operator"},
		{"a b", 3, `expected a comparison operator, found "b"`},
		{"1 == 1 == 1", 8, "expected AND, OR or end of expression"},
		{"1 == 1 1 == 1", 8, "expected AND, OR"},
		{"a - 1", 3, "hyphens"},
		{"a == -1", 6, "hyphens"},
		{"a & b", 3, `unknown operator "&"`},
		{"a | b", 3, `unknown operator "|"`},
		{"a == 1 # c", 8, "unexpected character '#'"},
		{"a <> 1", 4, "expected a value"},
		{"a === 1", 5, `expected a value, found "="`},
		{"a NOT 1", 7, "expected IN after NOT"},
		{"a NOT HAS 'x'", 7, "expected IN after NOT"},
		{"NOT IN ['a']", 5, "NOT IN needs a value on its left"},
		{"a == 'abc", 6, "unterminated string"},
		{`a == 'abc\`, 6, "unterminated string"},
		{"(1 == 1 x", 9, `unexpected "x", expected ')'`},
		{`a == "abc\"`, 6, "unterminated string"},
		{`a == 'x\q'`, 8, `unknown escape \q`},
		{`a == '\u12'`, 7, "malformed \\u escape"},
		{`a == '\uZZZZ'`, 7, "malformed \\u escape"},
		{"a == 1.", 6, "malformed number"},
		{"a == 1.2.3", 6, "malformed number"},
		{"a == 12abc", 6, `malformed number "12abc"`},
		{"a == .5", 6, "unexpected character '.'"},
		{"a. == 1", 3, "expected an attribute name after '.'"},
		{"a..b == 1", 3, "expected an attribute name after '.'"},
		{"a.1 == 1", 3, "expected an attribute name after '.'"},
		{"a[x] == 1", 2, `found "["`},
		{"a[] == 1", 2, `found "["`},
		{"a[99999999999] == 1", 3, "out of range"},
		{"a IN ['x'", 6, "'[' is never closed"},
		{"a IN ['x',", 6, "'[' is never closed"},
		{"a IN [", 6, "'[' is never closed"},
		{"a IN ['x',]", 11, "expected a constant in the list"},
		{"a IN ['x' 'y']", 11, "expected ',' or ']'"},
		{"a IN [b]", 7, "expected a constant in the list"},
		{"a IN [[1]]", 7, "expected a constant in the list"},
		{"in == 1", 1, "expected a value"},
		{"a == " + strings.Repeat("9", 400), 6, "out of range"},
		{"é == 1 AND ü ==", 16, "expected a value"}, // columns count characters
		{"a == '\xff' AND \xff", 14, "invalid UTF-8"},
		{strings.Repeat("(", 300) + "1==1" + strings.Repeat(")", 300), 201, "nested too deeply"},
		{strings.Repeat("!", 300) + "1==1", 201, "nested too deeply"},
	}
	for _, c := range cases {
		_, err := Parse(c.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", c.src, err)
			continue
		}
		if se.Column != c.column || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Parse(%q) = column %d %q, want column %d containing %q", c.src, se.Column, se.Msg, c.column, c.msg)
		}
		if !strings.HasPrefix(err.Error(), "expr: column ") {
			t.Errorf("Parse(%q) error text %q lacks the column", c.src, err)
		}
	}
}

func TestMatchError(t *testing.T) {
	ok, err := Match("a ==", Scope{})
	if err == nil || ok {
		t.Fatalf("Match = %v, %v; want false and an error", ok, err)
	}
}

func TestString(t *testing.T) {
	cases := []struct{ src, want string }{
		{"1==1", "1 == 1"},
		{"callToQueue=='Sales'", `callToQueue == "Sales"`},
		{"task.targetWorker==worker.contact_uri", "task.targetWorker == worker.contact_uri"},
		{"a = 1", "a == 1"},
		{"a.b[0][12].c != 0800", "a.b[0][12].c != 800"},
		{"x >= 1.50 and y < 2 or z > 3", "(x >= 1.5 AND y < 2) OR z > 3"},
		{"a == 1 && (b == 2 || c == 3)", "a == 1 AND (b == 2 OR c == 3)"},
		{"a == 1 AND (b == 2 AND c == 3)", "a == 1 AND (b == 2 AND c == 3)"},
		{"((a == 1))", "a == 1"},
		{"!a == 1", "NOT (a == 1)"},
		{"not not a == 1", "NOT NOT (a == 1)"},
		{"NOT (a == 1 OR b == 2)", "NOT (a == 1 OR b == 2)"},
		{"s has 'x' AND s contains \"y\"", `s HAS "x" AND s CONTAINS "y"`},
		{"v in ['a', \"b\", 1, true, null] or v not in []", `v IN ["a", "b", 1, true, null] OR v NOT IN []`},
		{`a == 'it\'s "q"\\'`, `a == "it's \"q\"\\"`},
		{`a == '\t\n\r\b\u0001'`, `a == "\t\n\r\u0008\u0001"`},
		{"task.in == worker.not", "task.in == worker.not"},
		{"a == TRUE OR b == False OR c == NULL", "a == true OR b == false OR c == null"},
	}
	for _, c := range cases {
		e, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		if got := e.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %s, want %s", c.src, got, c.want)
		}
	}
}
