//go:build e2e

package e2e

import (
	"regexp"
	"sync"
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// legCalls counts the reservation.call requests the desks make, by
// reservation, from the simulator's request log.
type legCalls struct {
	mu sync.Mutex
	n  map[string]int
}

var reservationCall = regexp.MustCompile(`^/agents/reservations/(WR[0-9a-f]+)/call$`)

func (l *legCalls) onRequest(r twiliosim.RequestRecord) {
	m := reservationCall.FindStringSubmatch(r.Path)
	if r.Method != "POST" || m == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n[m[1]]++
}

func (l *legCalls) counts() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for k, v := range l.n {
		out[k] = v
	}
	return out
}

// TestTwoTabsOneLegEach: Alice and Bob each have the Flex UI open in two
// tabs. Flex auto-accepts Alice's outbound task in both of hers, and Bob's
// offer shows in both of his; still each leg is placed by exactly one
// reservation.call, and no tab shows an error.
func TestTwoTabsOneLegEach(t *testing.T) {
	calls := &legCalls{n: map[string]int{}}
	e := newEnv(t, twiliosim.Options{OnRequest: calls.onRequest})
	alice := e.open("alice")
	alice2 := e.openTab(alice)
	bob := e.open("bob")
	bob2 := e.openTab(bob)
	connect(t, e, alice, bob, "Bob Baker")
	bob2.waitFor("the call accepted in Bob's other tab", `!!document.querySelector('`+internalTask+`[data-status="accepted"]')`)
	alice2.waitFor("the call in Alice's other tab", `!!document.querySelector('`+internalTask+`[data-status="accepted"]')`)
	n := calls.counts()
	if len(n) != 2 {
		t.Errorf("reservation.call by reservation: %v, want one for the caller's leg and one for the callee's", n)
	}
	for res, c := range n {
		if c != 1 {
			t.Errorf("reservation %s: %d reservation.call requests, want 1", res, c)
		}
	}
	for _, d := range []*desk{alice, alice2, bob, bob2} {
		if errs := d.str(`Array.prototype.map.call(document.querySelectorAll('#notifications .notification-error'), function (n) { return n.textContent; }).join("; ")`); errs != "" {
			t.Errorf("%s's tab: error notifications: %s", d.name, errs)
		}
	}
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(bob)
	noLiveCall(alice2)
	e.finish()
}
