package expr

import (
	"errors"
	"testing"
)

var fuzzSeeds = []string{
	"1==1",
	"callToQueue=='Sales'",
	"task.targetWorker==worker.contact_uri",
	"(skills HAS 'support') AND (languages HAS 'english')",
	`customer_value == 'Gold' AND type == 'ticket'`,
	`language IN ["en", "es"]`,
	"(condition_a == true) OR (condition_b == true)",
	`(language == "en" OR language == "fr") AND skill_rating >= 5.1`,
	"object.array[2] == 'c'",
	"worker.activity_name in ['Generally Available', 'High Value Tasks']",
	"taskrouter.dayOfWeek = 'Sat' AND taskrouter.currentTime > 0800",
	"a NOT IN [1, 2.5, null, false] || !(b contains 'x') && c != null",
	`s == 'it\'s \"q\" \\ \u00e9 \ud83c\udf89'`,
	"not not a <= b",
	"a == 1 AND (b == 2 AND (c == 3 OR d == 4))",
	"a ==",
	"(1 == 1",
	"a[",
	"'\xff' == a",
}

// FuzzParse checks that Parse never panics, that String output always parses
// back to the same text, and that the re-parsed expression means the same.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	scope := TargetScope(
		map[string]any{"a": 1.0, "b": "x", "s": []any{"x", 1.0}, "task": map[string]any{"in": true}},
		map[string]any{"a": "x", "c": []any{"xy"}, "not": nil},
	)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(src) || se.Column < 1 {
				t.Fatalf("Parse(%q): bad error %#v", src, err)
			}
			return
		}
		s := e.String()
		e2, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", src, s, err)
		}
		if s2 := e2.String(); s2 != s {
			t.Fatalf("round trip of %q unstable:\n %s\n %s", src, s, s2)
		}
		if e.Eval(scope) != e2.Eval(scope) {
			t.Fatalf("round trip of %q changed its meaning: %s", src, s)
		}
	})
}
