package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
)

// The agent's missed calls: GET lists them, DELETE /{id} removes one (called
// back or dismissed). Whose list it is comes from the validated Flex token
// only.

func (s *server) missedCalls(w http.ResponseWriter, r *http.Request) {
	list, err := s.flow.MissedCalls(r.Context(), agentFrom(r.Context()))
	if err != nil {
		s.log.Error("listing missed calls failed", "error", err)
		writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, call.APIMissedCalls{MissedCalls: list})
}

func (s *server) dismissMissedCall(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := call.CheckSID("id", call.PrefixTask, id); err != nil {
		writeAPIError(w, call.Errorf(call.Invalid, "%v", err))
		return
	}
	if err := s.flow.DismissMissedCall(r.Context(), agentFrom(r.Context()), id); err != nil {
		if httpStatus(err) >= 500 {
			s.log.Error("dismissing a missed call failed", "id", id, "error", err)
		}
		writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, call.APIOK{Status: "ok"})
}
