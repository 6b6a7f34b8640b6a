package taskrouter

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Routes mounts the REST API on r, relative to the product prefix:
// /v1/Workspaces…
func (s *Service) Routes(r chi.Router) {
	r.Route("/v1/Workspaces", func(r chi.Router) {
		// Twilio's error JSON rather than chi's plain text, for what is not
		// simulated (statistics, events) and for wrong methods.
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			rest.WriteError(w, rest.NotFound(r.URL.Path))
		})
		r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
			rest.WriteError(w, rest.Errorf(http.StatusMethodNotAllowed, 20004, "Method %s not allowed", r.Method))
		})
		r.Get("/", s.listWorkspaces)
		r.Post("/", s.createWorkspace)
		r.Route("/{ws}", func(r chi.Router) {
			r.Get("/", s.fetchWorkspace)
			r.Post("/", s.updateWorkspace)
			r.Delete("/", s.deleteWorkspaceHTTP)
			s.activityRoutes(r)
			s.workerRoutes(r)
			s.channelRoutes(r)
			s.queueRoutes(r)
			s.workflowRoutes(r)
			s.taskRoutes(r)
		})
	})
}

// form is the request's parameters: the query, plus the body for POST.
type form struct{ url.Values }

func parseForm(r *http.Request) (form, error) {
	if err := r.ParseForm(); err != nil {
		return form{}, errInvalid("Invalid form body: %v", err)
	}
	return form{r.Form}, nil
}

// str returns a parameter or "".
func (f form) str(key string) string { return f.Get(key) }

// opt returns a pointer to a parameter that was sent (even empty), else nil.
func (f form) opt(key string) *string {
	if _, ok := f.Values[key]; !ok {
		return nil
	}
	v := f.Get(key)
	return &v
}

func (f form) integer(key string) (*int, error) {
	v := f.opt(key)
	if v == nil {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(*v))
	if err != nil {
		return nil, errInvalid("%s must be an integer", key)
	}
	return &n, nil
}

// boolean reads Twilio booleans: true/1/yes and false/0/no.
func (f form) boolean(key string) (*bool, error) {
	v := f.opt(key)
	if v == nil {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(*v)) {
	case "true", "1", "yes":
		b := true
		return &b, nil
	case "false", "0", "no":
		b := false
		return &b, nil
	}
	return nil, errInvalid("%s must be a boolean", key)
}

func writeErr(w http.ResponseWriter, err error) { rest.WriteError(w, asRestError(err)) }

// reply writes v, or the error.
func reply[T any](w http.ResponseWriter, status int, v T, err error) {
	if err != nil {
		writeErr(w, err)
		return
	}
	rest.WriteJSON(w, status, v)
}

// replyTask writes a task with its ETag header.
func replyTask(w http.ResponseWriter, status int, t Task, err error) {
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("ETag", t.ETag)
	rest.WriteJSON(w, status, t)
}

func replyDeleted(w http.ResponseWriter, err error) {
	if err != nil {
		writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// page writes a v1 list page; path is below the product prefix.
func page[T any](w http.ResponseWriter, r *http.Request, path, key string, items []T, err error) {
	if err != nil {
		writeErr(w, err)
		return
	}
	rest.PageV1(w, r, realHost, path, key, items)
}

func wsPath(r *http.Request) string { return "/v1/Workspaces/" + chi.URLParam(r, "ws") }
