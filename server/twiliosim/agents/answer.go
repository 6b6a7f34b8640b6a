package agents

import (
	"net/http"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// Answer is how an agent's voice client reacts when its contact URI rings
// (see voice.Endpoints): Pick up after Delay, or, with Pick false, let it ring
// out (Delay 0: no-answer at the ring timeout) or decline after Delay (busy).
type Answer struct {
	Pick  bool
	Delay time.Duration
}

// SetAnswer overrides how one agent (worker friendly name) answers.
func (s *Service) SetAnswer(worker string, a Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[worker] = a
}

// ResetAnswer restores the default: pick up after Config.AnswerDelay.
func (s *Service) ResetAnswer(worker string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.answers, worker)
}

var _ voice.Endpoints = (*Service)(nil)

// Answer implements voice.Endpoints: a worker's contact URI picks up after the
// agent's delay; an address no worker has never answers.
func (s *Service) Answer(to string) (bool, time.Duration) {
	ws, err := s.workspace()
	if err != nil {
		return false, 0
	}
	wk, ok := s.cfg.TaskRouter.WorkerByContactURI(ws, to)
	if !ok {
		return false, 0
	}
	s.mu.Lock()
	a, set := s.answers[wk.FriendlyName]
	s.mu.Unlock()
	if !set {
		return true, s.cfg.AnswerDelay
	}
	return a.Pick, a.Delay
}

// answerRequest sets how the agent's phone answers: {"pick": false} lets it
// ring out, {"pick": true, "delay_ms": 2000} answers late, {} restores the default.
type answerRequest struct {
	Pick    *bool `json:"pick"`
	DelayMs int   `json:"delay_ms"`
}

func (s *Service) setAnswer(w http.ResponseWriter, r *http.Request) {
	var in answerRequest
	if !decodeBody(w, r, &in) {
		return
	}
	if in.DelayMs < 0 {
		rest.WriteError(w, rest.BadRequest(20001, "delay_ms must not be negative"))
		return
	}
	name := sessionOf(r).worker.FriendlyName
	if in.Pick == nil {
		s.ResetAnswer(name)
	} else {
		s.SetAnswer(name, Answer{Pick: *in.Pick, Delay: time.Duration(in.DelayMs) * time.Millisecond})
	}
	w.WriteHeader(http.StatusNoContent)
}
