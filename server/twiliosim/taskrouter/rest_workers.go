package taskrouter

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func (s *Service) workerRoutes(r chi.Router) {
	r.Get("/Workers", s.listWorkers)
	r.Post("/Workers", s.createWorker)
	r.Get("/Workers/{sid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.Worker(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		replyWorker(w, v, err)
	})
	r.Post("/Workers/{sid}", s.updateWorker)
	r.Delete("/Workers/{sid}", func(w http.ResponseWriter, r *http.Request) {
		replyDeleted(w, s.DeleteWorker(chi.URLParam(r, "ws"), chi.URLParam(r, "sid")))
	})

	r.Get("/Workers/{sid}/Channels", func(w http.ResponseWriter, r *http.Request) {
		out, err := s.WorkerChannels(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		page(w, r, wsPath(r)+"/Workers/"+chi.URLParam(r, "sid")+"/Channels", "channels", out, err)
	})
	r.Get("/Workers/{sid}/Channels/{ch}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.WorkerChannel(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), chi.URLParam(r, "ch"))
		reply(w, http.StatusOK, v, err)
	})
	r.Post("/Workers/{sid}/Channels/{ch}", s.updateWorkerChannel)

	r.Get("/Workers/{sid}/Reservations", s.listWorkerReservations)
	r.Get("/Workers/{sid}/Reservations/{res}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.scopedReservation(chi.URLParam(r, "ws"), "", chi.URLParam(r, "sid"), chi.URLParam(r, "res"))
		reply(w, http.StatusOK, v, err)
	})
	r.Post("/Workers/{sid}/Reservations/{res}", func(w http.ResponseWriter, r *http.Request) {
		s.postReservation(w, r, "", chi.URLParam(r, "sid"))
	})
}

func (s *Service) listWorkers(w http.ResponseWriter, r *http.Request) {
	f := form{r.URL.Query()}
	avail, err := f.boolean("Available")
	if err != nil {
		writeErr(w, err)
		return
	}
	out, err := s.ListWorkers(chi.URLParam(r, "ws"), WorkerFilter{
		ActivityName: f.str("ActivityName"), ActivitySid: f.str("ActivitySid"), Available: avail,
		FriendlyName: f.str("FriendlyName"), TargetWorkersExpression: f.str("TargetWorkersExpression"),
		TaskQueueName: f.str("TaskQueueName"), TaskQueueSid: f.str("TaskQueueSid"), Ordering: f.str("Ordering"),
	})
	page(w, r, wsPath(r)+"/Workers", "workers", out, err)
}

func (s *Service) createWorker(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	v, err := s.CreateWorker(chi.URLParam(r, "ws"), WorkerParams{FriendlyName: f.str("FriendlyName"),
		ActivitySid: f.str("ActivitySid"), Attributes: f.str("Attributes")})
	reply(w, http.StatusCreated, v, err)
}

func (s *Service) updateWorker(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	rej, err := f.boolean("RejectPendingReservations")
	if err != nil {
		writeErr(w, err)
		return
	}
	v, err := s.UpdateWorker(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), WorkerUpdate{
		FriendlyName: f.opt("FriendlyName"), ActivitySid: f.opt("ActivitySid"),
		Attributes: f.opt("Attributes"), RejectPendingReservations: rej != nil && *rej,
		IfMatch: r.Header.Get("If-Match"),
	})
	replyWorker(w, v, err)
}

// replyWorker writes a worker with its ETag header.
func replyWorker(w http.ResponseWriter, v Worker, err error) {
	if err == nil {
		w.Header().Set("ETag", v.ETag)
	}
	reply(w, http.StatusOK, v, err)
}

func (s *Service) updateWorkerChannel(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	var u WorkerChannelUpdate
	if u.Capacity, err = f.integer("Capacity"); err != nil {
		writeErr(w, err)
		return
	}
	if u.Available, err = f.boolean("Available"); err != nil {
		writeErr(w, err)
		return
	}
	v, err := s.UpdateWorkerChannel(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), chi.URLParam(r, "ch"), u)
	reply(w, http.StatusOK, v, err)
}

func (s *Service) listWorkerReservations(w http.ResponseWriter, r *http.Request) {
	out, err := s.WorkerReservations(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
	if st := r.URL.Query().Get("ReservationStatus"); st != "" && err == nil {
		out = filterReservations(out, st, "")
	}
	page(w, r, wsPath(r)+"/Workers/"+chi.URLParam(r, "sid")+"/Reservations", "reservations", out, err)
}

func filterReservations(in []Reservation, status, worker string) []Reservation {
	out := []Reservation{}
	for _, r := range in {
		if (status == "" || r.ReservationStatus == status) && (worker == "" || r.WorkerSid == worker) {
			out = append(out, r)
		}
	}
	return out
}
