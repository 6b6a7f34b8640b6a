package taskrouter

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func (s *Service) taskRoutes(r chi.Router) {
	r.Get("/Tasks", s.listTasks)
	r.Post("/Tasks", s.createTask)
	r.Get("/Tasks/{sid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.Task(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		replyTask(w, http.StatusOK, v, err)
	})
	r.Post("/Tasks/{sid}", s.updateTask)
	r.Delete("/Tasks/{sid}", func(w http.ResponseWriter, r *http.Request) {
		replyDeleted(w, s.DeleteTask(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), r.Header.Get("If-Match")))
	})

	r.Get("/Tasks/{sid}/Reservations", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		out, err := s.TaskReservations(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		if err == nil {
			out = filterReservations(out, q.Get("ReservationStatus"), q.Get("WorkerSid"))
		}
		page(w, r, wsPath(r)+"/Tasks/"+chi.URLParam(r, "sid")+"/Reservations", "reservations", out, err)
	})
	r.Get("/Tasks/{sid}/Reservations/{res}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.scopedReservation(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), "", chi.URLParam(r, "res"))
		reply(w, http.StatusOK, v, err)
	})
	r.Post("/Tasks/{sid}/Reservations/{res}", func(w http.ResponseWriter, r *http.Request) {
		s.postReservation(w, r, chi.URLParam(r, "sid"), "")
	})
}

func (s *Service) listTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	out, err := s.ListTasks(chi.URLParam(r, "ws"), TaskFilter{
		AssignmentStatus: q["AssignmentStatus"], WorkflowSid: q.Get("WorkflowSid"),
		WorkflowName: q.Get("WorkflowName"), TaskQueueSid: q.Get("TaskQueueSid"),
		TaskQueueName: q.Get("TaskQueueName"), EvaluateTaskAttributes: q.Get("EvaluateTaskAttributes"),
		RoutingTarget: q.Get("RoutingTarget"), Ordering: q.Get("Ordering"),
	})
	page(w, r, wsPath(r)+"/Tasks", "tasks", out, err)
}

func (s *Service) createTask(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	p := TaskParams{Attributes: f.str("Attributes"), WorkflowSid: f.str("WorkflowSid"),
		TaskChannel: f.str("TaskChannel"), TaskQueueSid: f.str("TaskQueueSid"),
		RoutingTarget: f.str("RoutingTarget")}
	timeout, err := f.integer("Timeout")
	if err == nil {
		p.Priority, err = f.integer("Priority")
	}
	if err == nil {
		p.IgnoreCapacity, err = f.boolean("IgnoreCapacity")
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	if timeout != nil {
		if *timeout < 1 {
			writeErr(w, errInvalid("Timeout must be between 1 and 1209600"))
			return
		}
		p.Timeout = *timeout
	}
	v, err := s.CreateTask(chi.URLParam(r, "ws"), p)
	replyTask(w, http.StatusCreated, v, err)
}

func (s *Service) updateTask(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	u := TaskUpdate{Attributes: f.opt("Attributes"), AssignmentStatus: f.opt("AssignmentStatus"),
		Reason: f.opt("Reason"), IfMatch: r.Header.Get("If-Match")}
	if u.Priority, err = f.integer("Priority"); err != nil {
		writeErr(w, err)
		return
	}
	v, err := s.UpdateTask(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), u)
	replyTask(w, http.StatusOK, v, err)
}

// postReservation serves both reservation update paths.
func (s *Service) postReservation(w http.ResponseWriter, r *http.Request, taskSid, workerSid string) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	u := ReservationUpdate{ReservationStatus: f.str("ReservationStatus"), Instruction: f.str("Instruction"),
		WorkerActivitySid: f.str("WorkerActivitySid"), CallFrom: f.str("CallFrom"), CallTo: f.str("CallTo"),
		CallURL: f.str("CallUrl"), CallStatusCallbackURL: f.str("CallStatusCallbackUrl"),
		Params: f.Values, IfMatch: r.Header.Get("If-Match")}
	accept, err := f.boolean("CallAccept")
	if err == nil {
		var n *int
		if n, err = f.integer("CallTimeout"); n != nil {
			u.CallTimeout = *n
		}
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	u.CallAccept = accept != nil && *accept
	v, err := s.updateReservation(chi.URLParam(r, "ws"), taskSid, workerSid, chi.URLParam(r, "res"), u)
	reply(w, http.StatusOK, v, err)
}
