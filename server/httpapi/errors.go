package httpapi

import (
	"net/http"

	"github.com/flex-internal-call/internal-call/call"
)

// httpStatus is the one place a failure's call.Code becomes an HTTP status.
func httpStatus(err error) int {
	switch call.CodeOf(err) {
	case "":
		return http.StatusOK
	case call.Invalid:
		return http.StatusBadRequest
	case call.Unauthenticated:
		return http.StatusUnauthorized
	case call.Forbidden:
		return http.StatusForbidden
	case call.NotFound:
		return http.StatusNotFound
	case call.Conflict, call.Stale:
		return http.StatusConflict
	case call.Throttled:
		return http.StatusTooManyRequests
	case call.Refused:
		return http.StatusBadGateway // Twilio refused what we asked: our problem, not the agent's
	default:
		return http.StatusServiceUnavailable
	}
}
