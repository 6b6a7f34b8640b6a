// Package app wires the server together from its configuration: the Twilio
// client, the call flow and the HTTP surface. The production command and the
// demo (which runs it on the built-in simulator) share it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
	pluginshim "github.com/flex-internal-call/internal-call/plugin-shim"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/callwatch"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/httpapi"
	"github.com/flex-internal-call/internal-call/server/metrics"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
	"github.com/flex-internal-call/internal-call/wasm/dialpad/page"
	"github.com/flex-internal-call/internal-call/web"
)

// Version names the release; the build sets it (-ldflags "-X …/server/app.Version=…").
// Pages and assets are cached per version, so it must be the same on every replica.
var Version = "dev"

// DefaultShutdownGrace is how long in-flight requests get to finish on SIGTERM.
const DefaultShutdownGrace = 25 * time.Second

// startupTimeout bounds the Twilio calls made before the server serves.
const startupTimeout = 30 * time.Second

// Options are what an embedding program adds to the server.
type Options struct {
	// Listener to serve on; nil means listen on cfg.Addr.
	Listener net.Listener
	// Mount adds the embedding program's routes (the demo mounts the simulator).
	Mount func(chi.Router)
	// QuietPrefix marks routes whose successful requests are logged at debug level.
	QuietPrefix string
	// ShutdownGrace replaces DefaultShutdownGrace.
	ShutdownGrace time.Duration
	// BeforeShutdown runs when Serve starts shutting down, before it waits for
	// in-flight requests (the demo ends its event streams there).
	BeforeShutdown func()
	// TwilioTransport carries the Twilio REST calls; nil is
	// twilioapi.NewPooledTransport() (the benchmark wraps it to trace
	// connection reuse).
	TwilioTransport http.RoundTripper
	// SweepInterval spaces the sweeps for calls nothing else will end
	// (default DefaultSweepInterval); SweepGrace replaces
	// callflow.DefaultSweepGrace. The chaos run shortens both.
	SweepInterval, SweepGrace time.Duration
}

// DefaultSweepInterval is how often each replica sweeps for calls still
// setting up or ringing long after their ring timeout (callflow.Flow.Sweep).
const DefaultSweepInterval = 30 * time.Second

// Server is a configured, listening server.
type Server struct {
	cfg      *config.Config
	log      *slog.Logger
	listener net.Listener
	http     *http.Server
	grace    time.Duration
	before   func()
	// metrics serves /metrics on METRICS_ADDR (nil: not configured).
	metrics *metricsListener
	// stopBackground ends the background work (workflow resolution).
	stopBackground context.CancelFunc
	// URL is where the server can be reached (the public base URL).
	URL string
}

// New builds the server from cfg and listens. It settles the Internal Call
// workflow with Twilio first, so that a misconfiguration stops the server at
// start-up, naming what to fix.
func New(cfg *config.Config, log *slog.Logger, o Options) (*Server, error) {
	m := metrics.New()
	tw, err := twilioapi.New(twilioapi.Options{
		AccountSid: cfg.AccountSid,
		Username:   firstNonEmpty(cfg.APIKey, cfg.AccountSid),
		Password:   firstNonEmpty(cfg.APISecret, cfg.AuthToken),
		BaseURL:    cfg.APIBaseURL,
		Region:     cfg.Region,
		Edge:       cfg.Edge,
		Logger:     log,
		Transport:  o.TwilioTransport,
		Meter:      m,
	})
	if err != nil {
		return nil, err
	}
	tr := tw.TaskRouter(cfg.WorkspaceSid)
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	res := &resolution{}
	workflow, err := callflow.ResolveWorkflow(ctx, tr, cfg.WorkspaceSid, cfg.WorkflowSid)
	switch {
	case call.Is(err, call.Unavailable):
		// Twilio is down, not misconfigured: serve (webhooks answer their
		// fallback TwiML, /readyz says why) and keep trying.
		log.Warn("Twilio unreachable at start-up: serving, resolving the Internal Call workflow in the background", "error", err)
		res.set("", err)
	case err != nil:
		return nil, err
	default:
		res.set(workflow, nil)
	}
	sealer, err := callflow.NewSealer(cfg.SealSecrets()...)
	if err != nil {
		return nil, err
	}
	flow := callflow.New(callwatch.Watch(tr, m), tw, nil, callflow.Settings{
		WorkflowSid:   workflow,
		PublicBaseURL: cfg.PublicBaseURL.String(),
		RingTimeout:   cfg.RingTimeout,
		SweepGrace:    o.SweepGrace,
		Sealer:        sealer,
		Observer:      m,
		// Agents add external numbers from the Flex configuration's caller ID.
		ExternalNumbers: cfg.ExternalNumbers,
		CallerID:        tw.OutboundCallerID,
	}, log)
	handler, err := httpapi.New(httpapi.Deps{
		Flow:          flow,
		IAM:           tw,
		AuthToken:     cfg.AuthToken,
		PublicBaseURL: cfg.PublicBaseURL,
		TrustProxy:    cfg.TrustProxy,
		FlexOrigins:   cfg.FlexOrigins,
		Assets:        web.Dist(),
		Plugin:        pluginshim.Script,
		Dialpad:       page.Handler(page.Options{FlexOrigins: cfg.FlexOrigins, Version: Version}),
		Ready: func(ctx context.Context) error {
			if _, err := res.get(); err != nil {
				return fmt.Errorf("the Internal Call workflow is not resolved yet: %w", err)
			}
			_, err := tr.FetchWorkspace(ctx)
			return err
		},
		Log:          log,
		Mount:        o.Mount,
		QuietPrefix:  o.QuietPrefix,
		Meter:        m,
		Metrics:      m.Handler(),
		MetricsToken: cfg.Metrics.Token,
	})
	if err != nil {
		return nil, err
	}
	var ml *metricsListener
	if cfg.Metrics.Addr != "" {
		if ml, err = listenMetrics(cfg.Metrics.Addr, m.Handler(), log); err != nil {
			return nil, err
		}
	}
	ln := o.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			if ml != nil {
				ml.ln.Close()
			}
			return nil, fmt.Errorf("ADDR %s: %w", cfg.Addr, err)
		}
	}
	grace := o.ShutdownGrace
	if grace == 0 {
		grace = DefaultShutdownGrace
	}
	bg, stop := context.WithCancel(context.Background())
	interval := o.SweepInterval
	if interval == 0 {
		interval = DefaultSweepInterval
	}
	go sweep(bg, flow, interval, log)
	if workflow == "" {
		go res.retry(bg, log, func(ctx context.Context) (string, error) {
			return callflow.ResolveWorkflow(ctx, tr, cfg.WorkspaceSid, cfg.WorkflowSid)
		}, flow.SetWorkflow)
	}
	return &Server{
		cfg: cfg, log: log, listener: ln, metrics: ml, grace: grace, before: o.BeforeShutdown, stopBackground: stop, URL: cfg.PublicBaseURL.String(),
		http: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       15 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       90 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}, nil
}

// sweep runs flow.Sweep every interval until ctx ends, each under a deadline.
func sweep(ctx context.Context, flow *callflow.Flow, interval time.Duration, log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		sctx, cancel := context.WithTimeout(ctx, interval)
		n, err := flow.Sweep(sctx)
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("sweep for overdue calls", "ended", n, "error", err)
		case n > 0:
			log.Info("sweep ended overdue calls", "ended", n)
		}
	}
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.listener.Addr() }

// MetricsAddr is the address of the metrics listener (nil: METRICS_ADDR is empty).
func (s *Server) MetricsAddr() net.Addr {
	if s.metrics == nil {
		return nil
	}
	return s.metrics.ln.Addr()
}

// Serve serves until ctx is done, then lets in-flight requests finish.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.listener) }()
	if s.metrics != nil {
		go s.metrics.serve()
		// Scrapes go on while in-flight requests finish.
		defer s.metrics.shutdown()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.stopBackground()
	s.log.Info("shutting down: finishing in-flight requests", "grace", s.grace)
	if s.before != nil {
		s.before()
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.grace)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// What is still open after the grace is cut: a request that overran
		// it, or a connection a client opened and never used (net/http's
		// Shutdown only counts those idle after 5 s). Stopping on time is
		// the point of the grace; it is not a failure of the program.
		s.log.Warn("grace period over: closing the connections still open", "grace", s.grace)
		err = s.http.Close()
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
