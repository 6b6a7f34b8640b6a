package agents

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// sseEvent is one Server-Sent Event: name and JSON data.
type sseEvent struct {
	name string
	data any
}

// TaskRouterEvent is the data of reservation.*, task.updated and
// worker.activity.update events.
type TaskRouterEvent struct {
	Type        string                  `json:"type"`
	WorkerSid   string                  `json:"worker_sid"`
	Reservation *taskrouter.Reservation `json:"reservation,omitempty"`
	Task        map[string]any          `json:"task,omitempty"`
	Worker      *Agent                  `json:"worker,omitempty"`
	Date        string                  `json:"date"`
}

// VoiceEvent is the data of call-status, media, conference-* and participant-* events.
type VoiceEvent struct {
	Type        string             `json:"type"`
	Call        *voice.Call        `json:"call,omitempty"`
	Conference  *voice.Conference  `json:"conference,omitempty"`
	Participant *voice.Participant `json:"participant,omitempty"`
	Media       string             `json:"media,omitempty"`
	Reason      string             `json:"reason,omitempty"`
	Date        string             `json:"date"`
}

func trEvent(ev taskrouter.Event) sseEvent {
	out := TaskRouterEvent{Type: ev.EventType, WorkerSid: ev.WorkerSid, Reservation: ev.Reservation,
		Date: rest.TimeV1(ev.Date)}
	if ev.Task != nil {
		out.Task = sdkTask(*ev.Task)
	}
	if ev.Worker != nil {
		a := agentOf(*ev.Worker)
		out.Worker = &a
	}
	return sseEvent{ev.EventType, out}
}

func voiceEvent(ev voice.Event) sseEvent {
	return sseEvent{ev.Type, VoiceEvent{Type: ev.Type, Call: ev.Call, Conference: ev.Conference,
		Participant: ev.Participant, Media: ev.Media, Reason: ev.Reason, Date: rest.TimeV1(ev.Time)}}
}

// events streams the agent's events until the client goes away or the
// service closes. A "ready" event first tells the page the subscriptions are
// in place; comment lines keep proxies from timing the stream out. The stream
// is the agent's own: their desk is open while it is.
func (s *Service) events(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	ctx, cancel := context.WithCancel(r.Context())
	ch := make(chan sseEvent, 256)
	stop := s.subscribe(sess, func(e sseEvent) {
		select {
		case ch <- e:
		case <-ctx.Done():
		case <-s.done:
		}
	})
	defer s.deskOpened(sess.worker.Sid)()
	// Cancel first: a subscriber blocked in send must let go before the
	// subscriptions are removed.
	defer func() {
		cancel()
		stop()
	}()
	s.serveSSE(w, ctx, sseEvent{"ready", agentOf(sess.worker)}, ch)
}

// subscribe sends the events concerning the agent to send until stop is
// called: TaskRouter's for their worker, and the voice events of their calls
// and conferences.
func (s *Service) subscribe(sess *session, send func(sseEvent)) (stop func()) {
	stopTR := s.cfg.TaskRouter.Subscribe(sess.workspaceSid, sess.worker.Sid, func(ev taskrouter.Event) { send(trEvent(ev)) })
	concerns := newVoiceFilter(sess.contactURI)
	stopVoice := s.cfg.Voice.Subscribe(func(ev voice.Event) {
		if concerns(ev) {
			send(voiceEvent(ev))
		}
	})
	return func() {
		stopVoice()
		stopTR()
	}
}

// serveSSE writes first, then the events of ch, with heartbeats, until ctx
// ends, the service closes or the client is gone.
func (s *Service) serveSSE(w http.ResponseWriter, ctx context.Context, first sseEvent, ch <-chan sseEvent) {
	defer s.countStream()()
	rc := http.NewResponseController(w)
	// A stream lives as long as the page: the server's WriteTimeout (which
	// bounds ordinary answers) must not cut it every minute.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if writeEvent(w, first) != nil || rc.Flush() != nil {
		return
	}
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-beat.C:
			_, err = fmt.Fprint(w, ": heartbeat\n\n")
		case e := <-ch:
			err = writeEvent(w, e)
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return
		}
	}
}

// countStream counts an open stream until the returned func is called.
func (s *Service) countStream() (done func()) {
	s.mu.Lock()
	s.streams++
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.streams--
		s.mu.Unlock()
	}
}

// writeEvent writes one event; one without a name is a "message" event.
func writeEvent(w http.ResponseWriter, e sseEvent) error {
	b, err := json.Marshal(e.data)
	if err != nil {
		return err
	}
	if e.name == "" {
		_, err = fmt.Fprintf(w, "data: %s\n\n", b)
	} else {
		_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, b)
	}
	return err
}

// newVoiceFilter returns a predicate for the voice events concerning an
// agent: their own calls (dialed to their contact URI) and everything in a
// conference one of those calls joined, until that conference ends.
func newVoiceFilter(contactURI string) func(voice.Event) bool {
	var mu sync.Mutex
	calls, confs := map[string]bool{}, map[string]bool{}
	return func(ev voice.Event) bool {
		mu.Lock()
		defer mu.Unlock()
		if ev.Call != nil && contactURI != "" && ev.Call.To == contactURI {
			calls[ev.Call.Sid] = true
		}
		mine := ev.Call != nil && calls[ev.Call.Sid]
		if ev.Conference != nil {
			sid := ev.Conference.Sid
			if mine && ev.Participant != nil {
				confs[sid] = true
			}
			mine = mine || confs[sid]
			if ev.Type == "conference-end" {
				delete(confs, sid)
			}
		}
		return mine
	}
}
