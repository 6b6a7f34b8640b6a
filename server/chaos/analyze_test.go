package chaos

import (
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// A silent end of the caller's leg is excused only by the caller's own
// hang-up, gone through and clicked before the leg ended.
func TestHungUpThemselves(t *testing.T) {
	caller, callee := &Agent{Name: "caller"}, &Agent{Name: "callee"}
	end := time.Date(2026, 12, 1, 16, 24, 57, 0, time.UTC)
	leg := voice.Call{EndTime: rest.Time2010(end)}
	before, after := end.Add(-13*time.Second), end.Add(time.Second)
	for _, c := range []struct {
		name string
		a    *actResult
		want bool
	}{
		{"no action", nil, false},
		{"caller hung up before the end", &actResult{by: caller, action: call.ActionHangup, status: 200, first: before}, true},
		{"caller hung up after the end", &actResult{by: caller, action: call.ActionHangup, status: 200, first: after}, false},
		{"caller's hang-up refused", &actResult{by: caller, action: call.ActionHangup, status: 503, first: before}, false},
		{"callee hung up", &actResult{by: callee, action: call.ActionHangup, status: 200, first: before}, false},
		{"callee declined", &actResult{by: callee, action: call.ActionReject, status: 200, first: before}, false},
	} {
		if got := hungUpThemselves(caller, c.a, leg); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if hungUpThemselves(caller, &actResult{by: caller, action: call.ActionHangup, status: 200, first: before}, voice.Call{}) {
		t.Error("a leg with no end time excused")
	}
}
