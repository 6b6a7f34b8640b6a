package taskrouter

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

func (s *Service) listWorkspaces(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("FriendlyName")
	out := []Workspace{}
	for _, ws := range s.Workspaces() {
		if name == "" || strings.EqualFold(ws.FriendlyName, name) {
			out = append(out, ws)
		}
	}
	page(w, r, "/v1/Workspaces", "workspaces", out, nil)
}

func (s *Service) createWorkspace(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	p := WorkspaceParams{FriendlyName: f.str("FriendlyName"), EventCallbackURL: f.str("EventCallbackUrl"),
		EventsFilter: f.str("EventsFilter"), Template: f.str("Template"),
		PrioritizeQueueOrder: f.str("PrioritizeQueueOrder")}
	if p.MultiTaskEnabled, err = f.boolean("MultiTaskEnabled"); err != nil {
		writeErr(w, err)
		return
	}
	v, err := s.CreateWorkspace(p)
	reply(w, http.StatusCreated, v, err)
}

func (s *Service) fetchWorkspace(w http.ResponseWriter, r *http.Request) {
	v, err := s.Workspace(chi.URLParam(r, "ws"))
	reply(w, http.StatusOK, v, err)
}

func (s *Service) updateWorkspace(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	u := WorkspaceUpdate{FriendlyName: f.opt("FriendlyName"), DefaultActivitySid: f.opt("DefaultActivitySid"),
		TimeoutActivitySid: f.opt("TimeoutActivitySid"), EventCallbackURL: f.opt("EventCallbackUrl"),
		EventsFilter: f.opt("EventsFilter")}
	if u.MultiTaskEnabled, err = f.boolean("MultiTaskEnabled"); err != nil {
		writeErr(w, err)
		return
	}
	v, err := s.UpdateWorkspace(chi.URLParam(r, "ws"), u)
	reply(w, http.StatusOK, v, err)
}

func (s *Service) deleteWorkspaceHTTP(w http.ResponseWriter, r *http.Request) {
	replyDeleted(w, s.deleteWorkspace(chi.URLParam(r, "ws")))
}

func (s *Service) activityRoutes(r chi.Router) {
	r.Get("/Activities", func(w http.ResponseWriter, r *http.Request) {
		f := form{r.URL.Query()}
		ws := chi.URLParam(r, "ws")
		avail, err := f.boolean("Available")
		if err == nil {
			_, err = s.Workspace(ws)
		}
		if err != nil {
			writeErr(w, err)
			return
		}
		out := []Activity{}
		for _, a := range s.Activities(ws) {
			if n := f.str("FriendlyName"); n != "" && !strings.EqualFold(n, a.FriendlyName) {
				continue
			}
			if avail != nil && *avail != a.Available {
				continue
			}
			out = append(out, a)
		}
		page(w, r, wsPath(r)+"/Activities", "activities", out, nil)
	})
	r.Post("/Activities", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		avail, err := f.boolean("Available")
		if err != nil {
			writeErr(w, err)
			return
		}
		p := ActivityParams{FriendlyName: f.str("FriendlyName"), Available: avail != nil && *avail}
		v, err := s.CreateActivity(chi.URLParam(r, "ws"), p)
		reply(w, http.StatusCreated, v, err)
	})
	r.Get("/Activities/{sid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.Activity(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		reply(w, http.StatusOK, v, err)
	})
	r.Post("/Activities/{sid}", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		v, err := s.updateActivity(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), f.str("FriendlyName"))
		reply(w, http.StatusOK, v, err)
	})
	r.Delete("/Activities/{sid}", func(w http.ResponseWriter, r *http.Request) {
		replyDeleted(w, s.deleteActivity(chi.URLParam(r, "ws"), chi.URLParam(r, "sid")))
	})
}
