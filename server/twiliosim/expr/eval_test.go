package expr

import (
	"encoding/json"
	"testing"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const taskJSON = `{
	"callToQueue": "Sales",
	"targetWorker": "client:alice",
	"priority": 5,
	"score": 5.1,
	"vip": true,
	"nothing": null,
	"language": "en",
	"tags": ["urgent", "billing", 3, true],
	"routing": {"skills": ["support", "sales"], "level": 2, "nested": {"deep": "x"}},
	"empty": [],
	"matrix": [["a"], {"k": "v"}],
	"quote": "it's \"q\" \\ back",
	"unicode": "héllo 🎉"
}`

const workerJSON = `{
	"contact_uri": "client:alice",
	"full_name": "Alice",
	"skills": ["support", "english"],
	"languages": ["en", "es"],
	"level": 3,
	"routing": {"skills": ["support"]}
}`

func TestEvalTaskScope(t *testing.T) {
	s := TaskScope(decode(t, taskJSON))
	cases := []struct {
		src  string
		want bool
	}{
		// tautologies and constants
		{"1==1", true},
		{"1 == 1", true},
		{"0 != 1", true},
		{`"apple" != "orange"`, true},
		{"1 == 1.0", true},
		{"0800 == 800", true},
		{"true == true", true},
		{"true != false", true},
		{"null == null", true},
		{"null != null", false},
		// ==, =, !=
		{"callToQueue=='Sales'", true},
		{`callToQueue == "Sales"`, true},
		{"callToQueue = 'Sales'", true},
		{"callToQueue == 'sales'", false}, // case-sensitive
		{"callToQueue != 'Support'", true},
		{"callToQueue != 'Sales'", false},
		{"task.callToQueue == 'Sales'", true},
		{"priority == 5", true},
		{"vip == true", true},
		{"vip != false", true},
		// no number/string conversion
		{"priority == '5'", false},
		{"priority != '5'", true},
		{"vip == 'true'", false},
		{"callToQueue > 1", false},
		{"callToQueue < 1", false},
		// ordering
		{"priority > 4", true},
		{"priority > 5", false},
		{"priority >= 5", true},
		{"priority < 6", true},
		{"priority <= 5", true},
		{"priority <= 4.99", false},
		{"score >= 5.1", true},
		{"score > 5.09", true},
		{"language < 'fr'", true},
		{"language > 'de'", true},
		{"language >= 'en'", true},
		{"language <= 'em'", false},
		{"vip > false", false}, // booleans are not ordered
		// HAS
		{"tags HAS 'urgent'", true},
		{"tags HAS 'URGENT'", false},
		{"tags HAS 3", true},
		{"tags HAS '3'", false},
		{"tags HAS true", true},
		{"tags HAS 'missing'", false},
		{"routing.skills HAS 'sales'", true},
		{"empty HAS 'x'", false},
		{"language HAS 'en'", false}, // array operator on scalars
		{"tags HAS ['urgent']", false},
		{"['a', 'b'] HAS 'b'", true},
		// CONTAINS
		{"callToQueue CONTAINS 'ale'", true},
		{"callToQueue CONTAINS 'Sales'", true},
		{"callToQueue CONTAINS ''", true},
		{"callToQueue CONTAINS 'x'", false},
		{"callToQueue CONTAINS 1", false},
		{"priority CONTAINS '5'", false},
		{"tags CONTAINS 'bill'", true}, // array on the left: any element
		{"tags CONTAINS 'zzz'", false},
		{"unicode CONTAINS '🎉'", true},
		// IN / NOT IN
		{"language IN ['en', 'es']", true},
		{`language IN ["fr", "es"]`, false},
		{"priority IN [1, 5]", true},
		{"priority IN ['5']", false},
		{"language IN []", false},
		{"language NOT IN ['fr']", true},
		{"language NOT IN ['en']", false},
		{"'billing' IN tags", true},
		{"'nope' NOT IN tags", true},
		{"language IN 'en'", false},     // right side not an array
		{"language NOT IN 'fr'", false}, // ditto: not "true by default"
		{"tags IN ['urgent']", false},   // left side must be a scalar
		{"language in['en']", true},
		// paths: nesting, indices, objects
		{"routing.level == 2", true},
		{"routing.nested.deep == 'x'", true},
		{"tags[0] == 'urgent'", true},
		{"tags[2] == 3", true},
		{"tags[9] == null", true},
		{"routing.skills[1] == 'sales'", true},
		{"matrix[0][0] == 'a'", true},
		{"matrix[1].k == 'v'", true},
		{"routing == 'x'", false},
		{"routing != 'x'", false}, // scalar operator on an object
		{"tags == tags", false},   // scalar operator on arrays
		{"routing.level.x == null", true},
		{"callToQueue[0] == null", true},
		// quotes and escapes
		{`quote == 'it\'s "q" \\ back'`, true},
		{`quote == "it's \"q\" \\ back"`, true},
		{`unicode == "h\u00e9llo \ud83c\udf89"`, true},
		{`'a\/b' == "a/b"`, true},
		{`"\t\n" == '	` + "\n" + `'`, true},
		// logic and precedence
		{"callToQueue == 'Sales' AND priority == 5", true},
		{"callToQueue == 'Sales' AND priority == 6", false},
		{"callToQueue == 'x' OR priority == 5", true},
		{"callToQueue == 'x' OR priority == 6", false},
		{"callToQueue == 'x' && priority == 5", false},
		{"callToQueue == 'x' || priority == 5", true},
		{"NOT callToQueue == 'x'", true},
		{"!callToQueue == 'Sales'", false},
		{"!(callToQueue == 'Sales')", false},
		{"NOT NOT 1 == 1", true},
		{"1 == 1 OR 1 == 2 AND 1 == 2", true}, // AND binds tighter
		{"(1 == 1 OR 1 == 2) AND 1 == 2", false},
		{"NOT 1 == 2 AND 1 == 1", true}, // NOT binds tighter than AND
		{"(language == 'en' OR language == 'fr') AND score >= 5.1", true},
		// keywords are case-insensitive
		{"1 == 1 and 2 == 2", true},
		{"1 == 2 Or 2 == 2", true},
		{"not 1 == 2", true},
		{"tags has 'urgent'", true},
		{"callToQueue contains 'Sal'", true},
		{"language not in ['fr']", true},
		{"vip == TRUE", true},
		{"nothing == NULL", true},
	}
	for _, c := range cases {
		got, err := Match(c.src, s)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestEvalNull(t *testing.T) {
	s := TaskScope(decode(t, taskJSON))
	cases := []struct {
		src  string
		want bool
	}{
		{"missing == null", true},
		{"null == missing", true},
		{"missing != null", false},
		{"nothing == null", true}, // explicit JSON null
		{"nothing != null", false},
		{"callToQueue == null", false},
		{"callToQueue != null", true},
		{"missing.deeper.still == null", true},
		{"missing == 'x'", false},
		{"missing != 'x'", false}, // null compares false, like SQL
		{"missing > 1", false},
		{"missing <= 1", false},
		{"missing HAS 'x'", false},
		{"missing CONTAINS 'x'", false},
		{"missing IN ['x']", false},
		{"missing NOT IN ['x']", false},
		{"missing IN [null]", false},
		{"missing == other_missing", false}, // two unknowns are not equal
		{"NOT missing == 'x'", true},
		{"callToQueue > null", false},
		{"tags HAS null", false},
		{"task == null", false}, // the root itself is an object
	}
	for _, c := range cases {
		got, err := Match(c.src, s)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestEvalScopes(t *testing.T) {
	task := decode(t, taskJSON)
	worker := decode(t, workerJSON)
	cases := []struct {
		name  string
		scope Scope
		src   string
		want  bool
	}{
		{"filter bare", TaskScope(task), "callToQueue=='Sales'", true},
		{"filter task.", TaskScope(task), "task.callToQueue=='Sales'", true},
		{"filter no worker", TaskScope(task), "worker.contact_uri == null", true},
		{"queue bare", WorkerScope(worker), "skills HAS 'support'", true},
		{"queue worker.", WorkerScope(worker), "worker.skills HAS 'english'", true},
		{"queue doc example", WorkerScope(worker), "(skills HAS 'support') AND (languages HAS 'en')", true},
		{"queue all", WorkerScope(worker), "1==1", true},
		{"target match", TargetScope(task, worker), "task.targetWorker==worker.contact_uri", true},
		{"target bare is worker", TargetScope(task, worker), "task.targetWorker==contact_uri", true},
		{"target bare not task", TargetScope(task, worker), "callToQueue == null", true},
		{"target in worker array", TargetScope(task, worker), "task.language IN worker.languages", true},
		{"target worker has task", TargetScope(task, worker), "worker.routing.skills HAS task.routing.skills[0]", true},
		{"target same name differs", TargetScope(task, worker), "task.routing.level < worker.level", true},
		{"target mismatch", TargetScope(task, decode(t, `{"contact_uri":"client:bob"}`)), "task.targetWorker==worker.contact_uri", false},
		{"target both missing", TargetScope(map[string]any{}, map[string]any{}), "task.targetWorker==worker.contact_uri", false},
		{"extra named root", Scope{Named: map[string]map[string]any{"taskrouter": {"dayOfWeek": "Sat", "currentTime": 1030}}},
			"taskrouter.dayOfWeek = 'Sat' AND taskrouter.currentTime > 0800", true},
		{"named wins over default", Scope{Default: map[string]any{"task": map[string]any{"a": "default"}},
			Named: map[string]map[string]any{"task": {"a": "named"}}}, "task.a == 'named'", true},
		{"zero scope", Scope{}, "x == null", true},
		{"zero scope tautology", Scope{}, "1==1", true},
	}
	for _, c := range cases {
		got, err := Match(c.src, c.scope)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s = %v, want %v", c.name, c.src, got, c.want)
		}
	}
}

// Hand-built attribute maps use Go types rather than JSON ones.
func TestEvalGoValues(t *testing.T) {
	s := WorkerScope(map[string]any{
		"n":      7,
		"i64":    int64(7),
		"f32":    float32(0.5),
		"num":    json.Number("7"),
		"skills": []string{"a", "b"},
		"weird":  struct{}{},
		"nilmap": map[string]any(nil),
	})
	cases := []struct {
		src  string
		want bool
	}{
		{"n == 7", true},
		{"i64 >= 7", true},
		{"f32 == 0.5", true},
		{"num == 7", true},
		{"skills HAS 'b'", true},
		{"skills[1] == 'b'", true},
		{"'a' IN skills", true},
		{"weird == null", false},
		{"weird != null", true},
		{"weird == weird", false},
		{"weird != 'x'", false},
		{"nilmap.x == null", true},
	}
	for _, c := range cases {
		got, err := Match(c.src, s)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestNilExpr(t *testing.T) {
	var e *Expr
	if e.Eval(Scope{}) {
		t.Error("nil Expr evaluated true")
	}
	if e.String() != "<nil>" {
		t.Errorf("nil Expr String = %q", e.String())
	}
}
