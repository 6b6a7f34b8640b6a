package voice

import "time"

// InstructionDialer adapts the engine to the dialer a TaskRouter reservation's
// Call instruction uses (taskrouter.Dialer), without importing it.
type InstructionDialer struct{ Engine *Engine }

// Dial places the outbound-api call of a Call instruction.
func (d InstructionDialer) Dial(from, to, url string, timeout time.Duration,
	onAnswered func(callSid string), onEnded func(callSid, status string)) (string, error) {
	return d.Engine.Dial(DialRequest{From: from, To: to, URL: url, Timeout: timeout, OnAnswered: onAnswered, OnEnded: onEnded})
}
