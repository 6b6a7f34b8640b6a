package twiliosim

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/agents"
	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
	"github.com/flex-internal-call/internal-call/server/twiliosim/flexapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim/iam"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// Sim is the whole simulated Twilio account plus its agents.
type Sim struct {
	opts   Options
	faults *faults.Injector

	TaskRouter *taskrouter.Service
	Voice      *voice.Engine
	Flex       *flexapi.API
	IAM        *iam.Service
	Agents     *agents.Service

	router    http.Handler
	closeOnce sync.Once

	mu      sync.Mutex
	seeded  *Seeded
	parties *partyBook
}

// New builds a simulator. It loads the OpenAPI documents up front, so a broken
// contract fails here rather than on the first request.
func New(opts Options) (*Sim, error) {
	opts.defaults()
	if err := opts.Faults.Validate(); err != nil {
		return nil, err
	}
	if err := contract.Load(); err != nil {
		return nil, err
	}
	s := &Sim{opts: opts, faults: faults.New(opts.Faults)}
	s.Flex = flexapi.New(opts.AccountSid)
	s.IAM = iam.New(opts.AccountSid)
	// Voice asks the agents who answers (external numbers are simulated
	// phones); the agents need voice and TaskRouter: the closure breaks the
	// cycle (no call rings before New returns).
	phones := voice.Phones{AnswerDelay: opts.PhoneAnswerDelay}
	s.Voice = voice.New(voice.Config{
		AccountSid: opts.AccountSid, AuthToken: opts.AuthToken, HTTPClient: opts.HTTPClient,
		MediaSpeed: opts.MediaSpeed,
		Endpoints: voice.EndpointsFunc(func(to string) (bool, time.Duration) {
			if voice.IsPhoneNumber(to) {
				return phones.Answer(to)
			}
			return s.Agents.Answer(to)
		}),
		Callbacks:   func(string) voice.Dispatcher { return s.faults.NewDispatcher() },
		WaitingJoin: func() string { return s.faults.Config().Join },
		Withheld:    func(event string) bool { return s.faults.Config().Withholds(event) },
		Logger:      opts.Logger.With("sim", "voice"),
	})
	s.TaskRouter = taskrouter.New(taskrouter.Config{
		AccountSid: opts.AccountSid, Dialer: dialer{s.Voice},
		ReservationTimeout: opts.ReservationTimeout, Logger: opts.Logger.With("sim", "taskrouter"),
	})
	s.Agents = agents.New(agents.Config{
		TaskRouter: s.TaskRouter, Voice: s.Voice, IAM: s.IAM, Flex: s.Flex,
		AnswerDelay: opts.AnswerDelay, Logger: opts.Logger.With("sim", "agents"),
	})
	s.parties = newPartyBook()
	s.Voice.Subscribe(s.parties.record)
	s.router = s.routes()
	return s, nil
}

// Close ends every call, timer and event stream.
func (s *Sim) Close() {
	s.closeOnce.Do(func() {
		s.Agents.Close()
		s.TaskRouter.Close()
		s.Voice.Close()
	})
}

// Credentials are the simulated account's credentials.
func (s *Sim) Credentials() Credentials {
	return Credentials{AccountSid: s.opts.AccountSid, AuthToken: s.opts.AuthToken}
}

// Faults is the injector in force; Set changes the faults while running.
func (s *Sim) Faults() *faults.Injector { return s.faults }

// Options returns the options the simulator runs with (defaults filled in).
func (s *Sim) Options() Options { return s.opts }

func (s *Sim) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.logRequests)
	r.Group(func(r chi.Router) {
		r.Use(s.basicAuth, s.faults.Middleware, s.opts.Contract.Middleware)
		r.Route("/taskrouter", s.TaskRouter.Routes)
		r.Route("/api", s.Voice.Routes)
		r.Route("/flex-api", s.Flex.Routes)
		r.Route("/iam", s.IAM.Routes)
	})
	r.Route("/agents", s.Agents.Routes)
	s.pageRoutes(r)
	return r
}

// Handler serves the simulator: the REST APIs under /taskrouter, /api,
// /flex-api and /iam (Basic auth, faults, contract checks), the agents' API
// under /agents and the demo page at /. It may be mounted under a prefix,
// with chi's Mount or http.StripPrefix.
func (s *Sim) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath != "" {
			// Mounted by a chi router: route on the path below the mount point,
			// as the contract check and our own router expect, with a fresh
			// routing context.
			orig := r.URL.Path
			r = r.Clone(context.WithValue(r.Context(), chi.RouteCtxKey, nil))
			r.URL.Path, r.URL.RawPath = rctx.RoutePath, ""
			if r.URL.Path == "/" && !strings.HasSuffix(orig, "/") {
				// The page uses relative URLs: it must be served as a directory.
				http.Redirect(w, r, orig+"/", http.StatusMovedPermanently)
				return
			}
		}
		s.router.ServeHTTP(w, r)
	})
}

// dialer lets TaskRouter's Call instruction place calls on the voice engine.
type dialer struct{ v *voice.Engine }

func (d dialer) Dial(leg taskrouter.CallLeg) (string, error) {
	sid, err := d.v.Dial(voice.DialRequest{From: leg.From, To: leg.To, URL: leg.URL, Timeout: leg.Timeout,
		StatusCallback: leg.StatusCallback, OnAnswered: leg.OnAnswered, OnEnded: leg.OnEnded})
	if err != nil {
		return "", fmt.Errorf("dial %s: %w", leg.To, err)
	}
	return sid, nil
}
