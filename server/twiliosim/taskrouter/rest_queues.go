package taskrouter

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func (s *Service) queueRoutes(r chi.Router) {
	r.Get("/TaskQueues", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		out, err := s.ListTaskQueues(chi.URLParam(r, "ws"), QueueFilter{FriendlyName: q.Get("FriendlyName"),
			EvaluateWorkerAttributes: q.Get("EvaluateWorkerAttributes"), WorkerSid: q.Get("WorkerSid"),
			Ordering: q.Get("Ordering")})
		page(w, r, wsPath(r)+"/TaskQueues", "task_queues", out, err)
	})
	r.Post("/TaskQueues", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		p := TaskQueueParams{FriendlyName: f.str("FriendlyName"), TargetWorkers: f.str("TargetWorkers"),
			ReservationActivitySid: f.str("ReservationActivitySid"),
			AssignmentActivitySid:  f.str("AssignmentActivitySid"), TaskOrder: f.str("TaskOrder")}
		n, err := f.integer("MaxReservedWorkers")
		if err != nil {
			writeErr(w, err)
			return
		}
		if n != nil {
			p.MaxReservedWorkers = *n
			if *n == 0 {
				p.MaxReservedWorkers = -1 // refused: 0 is not "unset" when sent
			}
		}
		v, err := s.CreateTaskQueue(chi.URLParam(r, "ws"), p)
		reply(w, http.StatusCreated, v, err)
	})
	r.Get("/TaskQueues/{sid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.TaskQueue(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		reply(w, http.StatusOK, v, err)
	})
	r.Post("/TaskQueues/{sid}", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		u := TaskQueueUpdate{FriendlyName: f.opt("FriendlyName"), TargetWorkers: f.opt("TargetWorkers"),
			ReservationActivitySid: f.opt("ReservationActivitySid"),
			AssignmentActivitySid:  f.opt("AssignmentActivitySid"), TaskOrder: f.opt("TaskOrder")}
		if u.MaxReservedWorkers, err = f.integer("MaxReservedWorkers"); err != nil {
			writeErr(w, err)
			return
		}
		v, err := s.UpdateTaskQueue(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), u)
		reply(w, http.StatusOK, v, err)
	})
	r.Delete("/TaskQueues/{sid}", func(w http.ResponseWriter, r *http.Request) {
		replyDeleted(w, s.deleteTaskQueue(chi.URLParam(r, "ws"), chi.URLParam(r, "sid")))
	})
}

func (s *Service) channelRoutes(r chi.Router) {
	r.Get("/TaskChannels", func(w http.ResponseWriter, r *http.Request) {
		ws := chi.URLParam(r, "ws")
		_, err := s.Workspace(ws)
		page(w, r, wsPath(r)+"/TaskChannels", "channels", s.TaskChannels(ws), err)
	})
	r.Post("/TaskChannels", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		p := TaskChannelParams{FriendlyName: f.str("FriendlyName"), UniqueName: f.str("UniqueName")}
		if p.ChannelOptimizedRouting, err = f.boolean("ChannelOptimizedRouting"); err != nil {
			writeErr(w, err)
			return
		}
		v, err := s.CreateTaskChannel(chi.URLParam(r, "ws"), p)
		reply(w, http.StatusCreated, v, err)
	})
	r.Get("/TaskChannels/{sid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.TaskChannel(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"))
		reply(w, http.StatusOK, v, err)
	})
	r.Post("/TaskChannels/{sid}", func(w http.ResponseWriter, r *http.Request) {
		f, err := parseForm(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		opt, err := f.boolean("ChannelOptimizedRouting")
		if err != nil {
			writeErr(w, err)
			return
		}
		v, err := s.updateTaskChannel(chi.URLParam(r, "ws"), chi.URLParam(r, "sid"), f.opt("FriendlyName"), opt)
		reply(w, http.StatusOK, v, err)
	})
	r.Delete("/TaskChannels/{sid}", func(w http.ResponseWriter, r *http.Request) {
		replyDeleted(w, s.deleteTaskChannel(chi.URLParam(r, "ws"), chi.URLParam(r, "sid")))
	})
}
