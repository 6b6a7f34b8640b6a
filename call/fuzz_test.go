package call

import (
	"encoding/json"
	"reflect"
	"testing"
)

// Whatever JSON a browser or another plugin writes into a task's
// attributes, decoding never panics, and what decodes survives a round trip
// unchanged: unknown keys included, nothing invented.
func FuzzParseAttributes(f *testing.F) {
	f.Add(`{"client_call":true,"to":"client:bob","internal_call":{"role":"caller","status":"ringing","seal":"v1.x"},"x":[1,{"y":null}]}`)
	f.Add(`{"conference":{"sid":"CF1"},"conversations":{"conversation_id":"WT1"},"worker_call_sid":"CA1"}`)
	f.Add(`{"internal_call":null,"client_call":"yes"}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAttributes(s)
		if err != nil {
			return
		}
		b, err := ParseAttributes(a.String())
		if err != nil {
			t.Fatalf("re-decoding %s: %v", a.String(), err)
		}
		if a.String() != b.String() {
			t.Fatalf("round trip changed the attributes:\n%s\n%s", a.String(), b.String())
		}
		var in, out map[string]any
		if json.Unmarshal([]byte(s), &in) == nil && json.Unmarshal([]byte(a.String()), &out) == nil {
			for k := range out {
				if _, ok := in[k]; !ok && !reflect.DeepEqual(out[k], false) {
					t.Fatalf("key %q invented: %s → %s", k, s, a.String())
				}
			}
		}
	})
}
