package voice

import (
	"net/http"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// accountCreated is when the simulated account was opened (a fixed date: the
// account exists before any simulator starts).
var accountCreated = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// fetchAccount answers GET /2010-04-01/Accounts/{AccountSid}.json, what an
// admin tool reads to check its credentials.
func (e *Engine) fetchAccount(w http.ResponseWriter, r *http.Request) {
	sid := e.cfg.AccountSid
	uri := "/2010-04-01/Accounts/" + sid + ".json"
	rest.WriteJSON(w, http.StatusOK, map[string]any{
		"sid":               sid,
		"owner_account_sid": sid,
		"friendly_name":     "Simulated Flex account",
		"status":            "active",
		"type":              "Full",
		"auth_token":        "",
		"date_created":      rest.Time2010(accountCreated),
		"date_updated":      rest.Time2010(accountCreated),
		"uri":               uri,
		"subresource_uris": map[string]string{
			"calls":       "/2010-04-01/Accounts/" + sid + "/Calls.json",
			"conferences": "/2010-04-01/Accounts/" + sid + "/Conferences.json",
		},
	})
}
