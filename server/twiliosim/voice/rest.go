package voice

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Routes mounts the REST API (the account, Calls, Conferences, Participants) relative to
// the product prefix, as /2010-04-01/Accounts/{AccountSid}/…, paths ending in
// .json as on api.twilio.com. Authentication is checked by the caller.
func (e *Engine) Routes(r chi.Router) {
	r.With(e.checkAccount).Get("/2010-04-01/Accounts/{AccountSid}.json", e.fetchAccount)
	r.Route("/2010-04-01/Accounts/{AccountSid}", func(r chi.Router) {
		r.Use(e.checkAccount)
		r.Get("/Calls.json", e.listCalls)
		r.Post("/Calls.json", e.createCall)
		r.Get("/Calls/{Sid}.json", e.fetchCall)
		r.Post("/Calls/{Sid}.json", e.updateCall)
		r.Get("/Conferences.json", e.listConferences)
		r.Get("/Conferences/{Sid}.json", e.fetchConference)
		r.Post("/Conferences/{Sid}.json", e.updateConference)
		r.Get("/Conferences/{ConferenceSid}/Participants.json", e.listParticipants)
		r.Post("/Conferences/{ConferenceSid}/Participants.json", e.createParticipant)
		r.Get("/Conferences/{ConferenceSid}/Participants/{CallSid}.json", e.fetchParticipant)
		r.Post("/Conferences/{ConferenceSid}/Participants/{CallSid}.json", e.updateParticipant)
		r.Delete("/Conferences/{ConferenceSid}/Participants/{CallSid}.json", e.deleteParticipant)
	})
}

// checkAccount answers 404 for another account's resources.
func (e *Engine) checkAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := chi.URLParam(r, "AccountSid"); e.cfg.AccountSid != "" && a != e.cfg.AccountSid {
			rest.WriteError(w, rest.NotFound("/2010-04-01/Accounts/"+a))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (e *Engine) base() string { return "/2010-04-01/Accounts/" + e.cfg.AccountSid }

// formBool reads a true/false form field; ok is false when it is absent.
func formBool(r *http.Request, key string) (v, present bool, err *rest.Error) {
	s, present := r.PostForm[key]
	if !present || len(s) == 0 {
		return false, false, nil
	}
	b, perr := strconv.ParseBool(strings.TrimSpace(s[0]))
	if perr != nil {
		return false, true, rest.BadRequest(21610, "%s must be true or false", key)
	}
	return b, true, nil
}

// formList reads a list parameter sent as repeated keys or space separated.
func formList(r *http.Request, key string) []string {
	var out []string
	for _, v := range r.PostForm[key] {
		out = append(out, splitFields(v)...)
	}
	return out
}

func methodOf(s string) string {
	if strings.EqualFold(s, "GET") {
		return "GET"
	}
	return "POST"
}

// newestFirst lists as Twilio does: most recent first.
func newestFirst[T any](items []T) []T {
	out := slices.Clone(items)
	slices.Reverse(out)
	return out
}

func parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		rest.WriteError(w, rest.BadRequest(20001, "Invalid form: %v", err))
		return false
	}
	return true
}
