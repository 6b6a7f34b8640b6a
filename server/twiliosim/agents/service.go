package agents

import (
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/flexapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim/iam"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// Config wires the agents to the simulated Twilio products.
type Config struct {
	TaskRouter *taskrouter.Service
	Voice      *voice.Engine
	IAM        *iam.Service
	// Flex names the workspace agents work in (taskrouter_workspace_sid), as
	// Flex's own configuration does. Nil or unset: the only workspace.
	Flex *flexapi.API
	// AnswerDelay is how long an agent's voice client rings before answering
	// (default 300ms); SetAnswer overrides it per agent.
	AnswerDelay time.Duration
	// TokenTTL is the lifetime of login tokens (default 1h).
	TokenTTL time.Duration
	// Heartbeat is the SSE keep-alive interval (default 15s).
	Heartbeat time.Duration
	Logger    *slog.Logger
}

// Service serves the agents' API and answers their calls. Safe for concurrent use.
type Service struct {
	cfg  Config
	log  *slog.Logger
	done chan struct{}
	once sync.Once

	mu        sync.Mutex
	answers   map[string]Answer        // by worker friendly name
	streams   int                      // event streams open
	shared    map[string]*sharedStream // by id
	desks     map[string]int           // open desks by worker SID
	observers map[string]bool          // tokens of observers (the simulator's page)
}

// New returns the agents' service.
func New(cfg Config) *Service {
	if cfg.AnswerDelay <= 0 {
		cfg.AnswerDelay = 300 * time.Millisecond
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = time.Hour
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, log: cfg.Logger, done: make(chan struct{}), answers: map[string]Answer{},
		shared: map[string]*sharedStream{}, desks: map[string]int{}, observers: map[string]bool{}}
}

// OpenStreams is how many event streams browsers hold open on the service:
// each one is a long-lived HTTP connection of its page.
func (s *Service) OpenStreams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streams
}

// Close ends every open event stream.
func (s *Service) Close() { s.once.Do(func() { close(s.done) }) }

// Routes mounts the API relative to its prefix (the simulator mounts it under /agents).
func (s *Service) Routes(r chi.Router) {
	r.Post("/login", s.login)
	r.Get("/events.js", serveClient)
	r.Get("/stream", s.sharedEvents)
	r.Delete("/streams/{id}/follows/{key}", s.unfollow)
	r.Group(func(r chi.Router) {
		r.Use(s.authenticate)
		r.Post("/refresh", s.refresh)
		r.Post("/logout", s.logout)
		r.Get("/events", s.events)
		r.Post("/streams/{id}/follow", s.follow)
		r.Get("/me", s.me)
		r.Get("/workers", s.directory)
		r.Post("/answer", s.setAnswer)
		// What the agent does: their desk's, or an observer's for an agent with no desk open.
		r.Group(func(r chi.Router) {
			r.Use(s.onlyWithoutDesk)
			r.Post("/activity", s.setActivity)
			r.Post("/tasks", s.createTask)
			r.Post("/tasks/{sid}/{action:wrapup|complete}", s.endTask)
			r.Post("/reservations/{sid}/{action:accept|reject}", s.answerReservation)
			r.Post("/reservations/{sid}/call", s.callReservation)
			r.Post("/hangup", s.hangup)
		})
	})
}

// events.js is the pages' side of the shared streams (see stream.go).
//
//go:embed events.js
var clientJS []byte

func serveClient(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(clientJS)
}

var errNoWorkspace = rest.Errorf(http.StatusServiceUnavailable, 20503, "The simulator has no TaskRouter workspace yet")

// workspace is the workspace agents work in: Flex's taskrouter_workspace_sid,
// else the only one.
func (s *Service) workspace() (string, error) {
	if s.cfg.Flex != nil {
		if sid := s.cfg.Flex.WorkspaceSid(); sid != "" {
			return sid, nil
		}
	}
	if wss := s.cfg.TaskRouter.Workspaces(); len(wss) == 1 {
		return wss[0].Sid, nil
	}
	return "", errNoWorkspace
}

// asRest turns any error into the Twilio error JSON the API answers with.
func asRest(err error) *rest.Error {
	var e *rest.Error
	if errors.As(err, &e) {
		return e
	}
	return rest.BadRequest(20001, "%v", err)
}
