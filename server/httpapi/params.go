package httpapi

import (
	"fmt"
	"net/http"

	"github.com/flex-internal-call/internal-call/call"
)

// sidParam reads a required SID from the query (taskSid) or form (CallSid…).
func sidParam(r *http.Request, name, prefix string, fromQuery bool) (string, error) {
	v := r.PostForm.Get(name)
	if fromQuery {
		v = r.URL.Query().Get(name)
	}
	if err := call.CheckSID(name, prefix, v); err != nil {
		return "", err
	}
	return v, nil
}

// optionalSIDParam reads a form SID that may be absent.
func optionalSIDParam(r *http.Request, name, prefix string) (string, error) {
	v := r.PostForm.Get(name)
	if v == "" {
		return "", nil
	}
	if !call.ValidSID(prefix, v) {
		return "", fmt.Errorf("%s must be %s followed by 32 hex digits", name, prefix)
	}
	return v, nil
}
