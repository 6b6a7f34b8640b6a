package voice

import (
	"strings"
	"time"
)

// Phones are the simulated phones behind external numbers (E.164: "+" and
// 8 to 15 digits), such as a supervisor's mobile added to a call. Every
// number answers after AnswerDelay, except two kinds kept for tests:
//   - a number ending in 0000 rings until the caller's timeout (no-answer);
//   - a number ending in 0001 is busy (declines after AnswerDelay).
type Phones struct {
	AnswerDelay time.Duration
}

// Suffixes of the numbers that do not answer.
const (
	PhoneNeverAnswers = "0000"
	PhoneBusy         = "0001"
)

// IsPhoneNumber reports whether to is an E.164 number.
func IsPhoneNumber(to string) bool {
	digits, ok := strings.CutPrefix(to, "+")
	if !ok || len(digits) < 8 || len(digits) > 15 {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Answer implements Endpoints for phone numbers.
func (p Phones) Answer(to string) (bool, time.Duration) {
	switch {
	case strings.HasSuffix(to, PhoneNeverAnswers):
		return false, 0
	case strings.HasSuffix(to, PhoneBusy):
		return false, max(p.AnswerDelay, time.Millisecond)
	}
	return true, p.AnswerDelay
}
