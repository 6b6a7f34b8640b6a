package callflow

import "github.com/flex-internal-call/internal-call/call"

// Observer hears of what the flow decides that its writes to Twilio do not
// show (the server's metrics implement it). Everything else, statuses and
// callee tasks included, can be read from those writes at the edge.
type Observer interface {
	// ClaimLost is a set-up of the callee task that found another attempt's
	// live claim on the caller's record and left the work to it.
	ClaimLost()
}

// observeClaimLost tells Settings.Observer, if any, when the caller's
// record cur, which this set-up did not claim, names no callee task yet:
// another attempt holds the claim.
func (f *Flow) observeClaimLost(cur *call.Task) {
	if o := f.s.Observer; o != nil && internalCall(cur).CalleeTaskSid == "" {
		o.ClaimLost()
	}
}
