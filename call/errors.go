package call

import (
	"errors"
	"fmt"
)

// Code classifies a failure by what the party who asked should do about it.
// The HTTP edge maps each code to a status in one place.
type Code string

const (
	// Invalid: the request itself is wrong (a malformed SID, the wrong kind of task).
	Invalid Code = "invalid"
	// Unauthenticated: no valid Flex session.
	Unauthenticated Code = "unauthenticated"
	// Forbidden: the agent may not act on this call.
	Forbidden Code = "forbidden"
	// NotFound: the task, call or conference does not exist (or is over).
	NotFound Code = "not_found"
	// Conflict: the call is not in a state that allows the action.
	Conflict Code = "conflict"
	// Stale: a conditional write lost to another writer (TaskRouter's If-Match);
	// read again and retry.
	Stale Code = "stale"
	// Refused: Twilio refused a request it will refuse again (a 4xx other than
	// 404, 412 and 429): retrying changes nothing.
	Refused Code = "refused"
	// Throttled: the caller asks too often; it may try again after a while.
	Throttled Code = "throttled"
	// Unavailable: Twilio could not be reached or failed (timeouts, 429, 5xx);
	// it may work later.
	Unavailable Code = "unavailable"
)

// Error is a failure with its Code. Msg is written for the agent or the
// operator who will read it; Err is the cause, if any.
type Error struct {
	Code Code
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// CodeOf returns the Code of err: that of the first Error in its chain,
// Unavailable for any other non-nil error (a failure of something the server
// depends on), and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Unavailable
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
