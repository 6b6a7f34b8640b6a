package call

import "fmt"

// SID prefixes of the Twilio resources an internal call touches.
const (
	PrefixTask        = "WT"
	PrefixWorker      = "WK"
	PrefixReservation = "WR"
	PrefixWorkspace   = "WS"
	PrefixWorkflow    = "WW"
	PrefixQueue       = "WQ"
	PrefixCall        = "CA"
	PrefixConference  = "CF"
	PrefixAccount     = "AC"
)

// ValidSID reports whether s is prefix followed by 32 hexadecimal digits,
// the shape of every Twilio SID.
func ValidSID(prefix, s string) bool {
	if len(s) != len(prefix)+32 || s[:len(prefix)] != prefix {
		return false
	}
	for i := len(prefix); i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// CheckSID returns an error naming the parameter when s is not a valid SID with the prefix.
func CheckSID(param, prefix, s string) error {
	if s == "" {
		return fmt.Errorf("%s is missing", param)
	}
	if !ValidSID(prefix, s) {
		return fmt.Errorf("%s must be %s followed by 32 hex digits", param, prefix)
	}
	return nil
}
