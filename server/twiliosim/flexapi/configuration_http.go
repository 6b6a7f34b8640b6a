package flexapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// writeErr answers a Twilio error; anything else is a 500.
func writeErr(w http.ResponseWriter, err error) {
	var e *rest.Error
	if !errors.As(err, &e) {
		e = rest.Errorf(http.StatusInternalServerError, 20500, "%v", err)
	}
	rest.WriteError(w, e)
}

func (a *API) fetchConfiguration(w http.ResponseWriter, r *http.Request) {
	rest.WriteJSON(w, http.StatusOK, a.Configuration())
}

// updateConfiguration takes the JSON body twilio-go's UpdateConfiguration sends.
func (a *API) updateConfiguration(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		rest.WriteError(w, rest.BadRequest(20001, "Unreadable body: %v", err))
		return
	}
	var patch map[string]any
	if err := json.Unmarshal(body, &patch); err != nil || patch == nil {
		rest.WriteError(w, rest.BadRequest(20001, "Body must be a JSON object"))
		return
	}
	cfg, err := a.UpdateConfiguration(patch)
	if err != nil {
		writeErr(w, err)
		return
	}
	rest.WriteJSON(w, http.StatusOK, cfg)
}
