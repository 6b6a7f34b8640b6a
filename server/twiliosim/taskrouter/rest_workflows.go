package taskrouter

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

func (s *Service) workflowRoutes(r chi.Router) {
	r.Get("/Workflows", func(w http.ResponseWriter, r *http.Request) {
		ws := chi.URLParam(r, "ws")
		if _, err := s.Workspace(ws); err != nil {
			writeErr(w, err)
			return
		}
		name := r.URL.Query().Get("FriendlyName")
		out := []Workflow{}
		for _, wf := range s.Workflows(ws) {
			if name == "" || strings.EqualFold(name, wf.FriendlyName) {
				out = append(out, wf)
			}
		}
		page(w, r, wsPath(r)+"/Workflows", "workflows", out, nil)
	})
	r.Post("/Workflows", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		p := WorkflowParams{FriendlyName: f.str("FriendlyName"), Configuration: f.str("Configuration"),
			AssignmentCallbackURL:         f.str("AssignmentCallbackUrl"),
			FallbackAssignmentCallbackURL: f.str("FallbackAssignmentCallbackUrl")}
		n, err := f.integer("TaskReservationTimeout")
		if err != nil {
			writeErr(w, err)
			return
		}
		if n != nil {
			if *n < 1 {
				writeErr(w, errInvalid("TaskReservationTimeout must be between 1 and 86400"))
				return
			}
			p.TaskReservationTimeout = *n
		}
		v, err := s.CreateWorkflow(chi.URLParam(r, "ws"), p)
		reply(w, http.StatusCreated, v, err)
	})
	r.Get("/Workflows/{sid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.Workflow(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		reply(w, http.StatusOK, v, err)
	})
	r.Post("/Workflows/{sid}", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		u := WorkflowUpdate{FriendlyName: f.opt("FriendlyName"), Configuration: f.opt("Configuration"),
			AssignmentCallbackURL:         f.opt("AssignmentCallbackUrl"),
			FallbackAssignmentCallbackURL: f.opt("FallbackAssignmentCallbackUrl")}
		if u.TaskReservationTimeout, err = f.integer("TaskReservationTimeout"); err != nil {
			writeErr(w, err)
			return
		}
		re, err := f.boolean("ReEvaluateTasks")
		if err != nil {
			writeErr(w, err)
			return
		}
		u.ReEvaluateTasks = re != nil && *re
		v, err := s.UpdateWorkflow(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), u)
		reply(w, http.StatusOK, v, err)
	})
	r.Delete("/Workflows/{sid}", func(w http.ResponseWriter, r *http.Request) {
		replyDeleted(w, s.deleteWorkflow(chi.URLParam(r, "ws"), chi.URLParam(r, "sid")))
	})
}
