package taskrouter

import (
	"errors"
	"net/http"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Twilio error codes used here.
const (
	codeInvalid            = 20001 // invalid parameter or state
	codeNotFound           = 20404
	codeConflict           = 20409
	codePreconditionFailed = 20412
)

func errInvalid(format string, args ...any) error {
	return rest.Errorf(http.StatusBadRequest, codeInvalid, format, args...)
}

func errNotFound(path string) error { return rest.NotFound(path) }

func errConflict(format string, args ...any) error {
	return rest.Errorf(http.StatusConflict, codeConflict, format, args...)
}

func errPrecondition(etag string) error {
	return rest.Errorf(http.StatusPreconditionFailed, codePreconditionFailed,
		"The resource does not match the ETag provided in the If-Match header (current ETag %s)", etag)
}

// asRestError turns any error into Twilio's error body.
func asRestError(err error) *rest.Error {
	var re *rest.Error
	if errors.As(err, &re) {
		return re
	}
	return rest.Errorf(http.StatusInternalServerError, 20500, "%v", err)
}
