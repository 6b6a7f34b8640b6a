package agents

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// A shared stream carries the events of every agent a page follows, so that
// a page holds one HTTP connection however many agents it shows: browsers
// allow six per host over HTTP/1.1, and an event stream holds one for as long
// as the page is open. events.js is its browser side.
//
//	GET    /stream                        SSE: "stream" {id}, then message events {key, type, data}
//	POST   /streams/{id}/follow           {key, observe} as the agent: their events join the stream
//	DELETE /streams/{id}/follows/{key}    the page stops following (a desk frame closed)
//
// A follow with observe false is the agent's desk: while it lasts the
// agent's desk is open, and observers may not act for the agent.
type sharedStream struct {
	id  string
	ctx context.Context // ends with the connection
	ch  chan sseEvent

	mu      sync.Mutex
	follows map[string]func() // by key: ends the follow
}

// muxEvent is the data of a shared stream's message events: one agent
// event, tagged with the key its follow was given.
type muxEvent struct {
	Key  string `json:"key"`
	Type string `json:"type"`
	Data any    `json:"data"`
}

func newStreamID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// sharedEvents serves a shared stream until the page goes away. It needs no
// token: it carries nothing until an agent follows it, and its id, which
// only the page reads, is what a follow names.
func (s *Service) sharedEvents(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(r.Context())
	st := &sharedStream{id: newStreamID(), ctx: ctx, ch: make(chan sseEvent, 256), follows: map[string]func(){}}
	s.mu.Lock()
	s.shared[st.id] = st
	s.mu.Unlock()
	defer func() {
		cancel()
		s.mu.Lock()
		delete(s.shared, st.id)
		s.mu.Unlock()
		st.endAll()
	}()
	s.serveSSE(w, ctx, sseEvent{"stream", map[string]string{"id": st.id}}, st.ch)
}

func (s *Service) sharedStreamOf(w http.ResponseWriter, r *http.Request) (*sharedStream, bool) {
	id := chi.URLParam(r, "id")
	s.mu.Lock()
	st := s.shared[id]
	s.mu.Unlock()
	if st == nil {
		rest.WriteError(w, rest.NotFound("/agents/streams/"+id))
		return nil, false
	}
	return st, true
}

type followRequest struct {
	Key     string `json:"key"`
	Observe bool   `json:"observe"`
}

// follow adds the agent's events to a shared stream under the page's key; a
// "ready" event for the key follows once the subscriptions are in place.
func (s *Service) follow(w http.ResponseWriter, r *http.Request) {
	var in followRequest
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Key == "" || len(in.Key) > 64 {
		rest.WriteError(w, rest.BadRequest(20001, "key must be 1 to 64 characters"))
		return
	}
	st, ok := s.sharedStreamOf(w, r)
	if !ok {
		return
	}
	sess := sessionOf(r)
	ctx, cancel := context.WithCancel(st.ctx)
	send := func(e sseEvent) {
		select {
		case st.ch <- sseEvent{"", muxEvent{Key: in.Key, Type: e.name, Data: e.data}}:
		case <-ctx.Done():
		case <-s.done:
		}
	}
	stop := s.subscribe(sess, send)
	closeDesk := func() {}
	if !in.Observe {
		closeDesk = s.deskOpened(sess.worker.Sid)
	}
	var once sync.Once
	end := func() {
		once.Do(func() {
			cancel()
			stop()
			closeDesk()
		})
	}
	st.mu.Lock()
	old := st.follows[in.Key]
	st.follows[in.Key] = end
	st.mu.Unlock()
	if old != nil {
		old()
	}
	if st.ctx.Err() != nil { // the stream ended meanwhile
		end()
		rest.WriteError(w, rest.NotFound("/agents/streams/"+st.id))
		return
	}
	// The ready goes on the stream before the answer; a page that does not
	// read its stream gets a refusal, not a request that never ends.
	timer := time.NewTimer(readyWithin)
	defer timer.Stop()
	select {
	case st.ch <- sseEvent{"", muxEvent{Key: in.Key, Type: "ready", Data: agentOf(sess.worker)}}:
		w.WriteHeader(http.StatusNoContent)
	case <-ctx.Done():
		rest.WriteError(w, rest.NotFound("/agents/streams/"+st.id))
	case <-r.Context().Done():
		end()
	case <-timer.C:
		end()
		rest.WriteError(w, rest.Errorf(http.StatusServiceUnavailable, 20503, "The stream is not read: its page is not keeping up"))
	}
}

// readyWithin bounds how long a follow waits to put its ready on the stream.
const readyWithin = 5 * time.Second

// unfollow ends one follow of a shared stream.
func (s *Service) unfollow(w http.ResponseWriter, r *http.Request) {
	st, ok := s.sharedStreamOf(w, r)
	if !ok {
		return
	}
	key := chi.URLParam(r, "key")
	st.mu.Lock()
	end := st.follows[key]
	delete(st.follows, key)
	st.mu.Unlock()
	if end != nil {
		end()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (st *sharedStream) endAll() {
	st.mu.Lock()
	ends := st.follows
	st.follows = map[string]func(){}
	st.mu.Unlock()
	for _, end := range ends {
		end()
	}
}

// deskOpened counts the worker's desk open until the returned func is called.
func (s *Service) deskOpened(workerSid string) (closed func()) {
	s.mu.Lock()
	s.desks[workerSid]++
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.desks[workerSid]--; s.desks[workerSid] <= 0 {
				delete(s.desks, workerSid)
			}
		})
	}
}

// DeskOpen reports whether the worker has a desk open: an event stream of
// their own, or a page following them as their desk.
func (s *Service) DeskOpen(workerSid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.desks[workerSid] > 0
}

// onlyWithoutDesk refuses an observer's action for an agent whose desk is
// open: the desk acts for the agent, and two actors on one reservation
// collide (one accepts what the other already wrapped up).
func (s *Service) onlyWithoutDesk(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := sessionOf(r)
		if sess.observer && s.DeskOpen(sess.worker.Sid) {
			rest.WriteError(w, rest.Errorf(http.StatusConflict, 20409,
				"%s's desk is open: it acts for %s, so the simulator's page only observes them (close the desk to act for them here)",
				sess.worker.FriendlyName, sess.worker.FriendlyName))
			return
		}
		next.ServeHTTP(w, r)
	})
}
