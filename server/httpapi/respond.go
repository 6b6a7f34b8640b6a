package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/flex-internal-call/internal-call/call"
)

func writeText(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeAPIError answers a browser call with a message the agent can be shown.
func writeAPIError(w http.ResponseWriter, err error) {
	status := httpStatus(err)
	writeJSON(w, status, call.APIError{Message: err.Error(), Status: status, Code: call.CodeOf(err)})
}

func writeTwiML(w http.ResponseWriter, twiml string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(twiml))
}
