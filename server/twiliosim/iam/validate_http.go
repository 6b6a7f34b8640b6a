package iam

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Error codes of the validation answer, as iam.twilio.com gives them.
const (
	CodeInvalid = 20101 // Invalid Access Token
	CodeExpired = 20104 // Access Token expired or expiration date invalid
)

// Routes mounts the API relative to the product prefix (the caller mounts it
// under /iam).
func (s *Service) Routes(r chi.Router) {
	r.Post("/v1/Accounts/{AccountSid}/Tokens/validate", s.validate)
}

// validation is the answer body. A rejected token is still a 200: the
// validator reads `valid`, not the status.
type validation struct {
	Valid       bool     `json:"valid"`
	Code        int      `json:"code"`
	Message     *string  `json:"message"`
	Expiration  *string  `json:"expiration"`
	RealmUserID *string  `json:"realm_user_id"`
	Identity    *string  `json:"identity"`
	Roles       []string `json:"roles"`
	WorkerSid   *string  `json:"worker_sid"`
}

func (s *Service) validate(w http.ResponseWriter, r *http.Request) {
	if chi.URLParam(r, "AccountSid") != s.accountSid {
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	value, ok := tokenParam(r)
	if !ok {
		rest.WriteError(w, rest.BadRequest(20001, "Missing required parameter token"))
		return
	}
	t, res := s.Validate(value)
	switch res {
	case Unknown:
		rest.WriteJSON(w, http.StatusOK, rejected(CodeInvalid, "Invalid Access Token"))
	case Expired:
		rest.WriteJSON(w, http.StatusOK, rejected(CodeExpired, "Access Token expired or expiration date invalid"))
	default:
		exp := rest.TimeV1(t.Expires)
		rest.WriteJSON(w, http.StatusOK, validation{
			Valid: true, Expiration: &exp, RealmUserID: &t.RealmUserID,
			Identity: &t.Identity, Roles: t.Roles, WorkerSid: &t.WorkerSid,
		})
	}
}

func rejected(code int, msg string) validation {
	return validation{Code: code, Message: &msg}
}

// tokenParam reads {"token": "…"} (what the validators send) or a form field.
func tokenParam(r *http.Request) (string, bool) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return "", false
	}
	if ct == "application/x-www-form-urlencoded" {
		v, err := url.ParseQuery(string(body))
		if err != nil || !v.Has("token") && !v.Has("Token") {
			return "", false
		}
		if v.Has("token") {
			return v.Get("token"), true
		}
		return v.Get("Token"), true
	}
	var in struct {
		Token *string `json:"token"`
	}
	if json.Unmarshal(body, &in) != nil || in.Token == nil {
		return "", false
	}
	return *in.Token, true
}
