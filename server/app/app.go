// Package app wires the server together from its configuration: the Twilio
// client, the call flow and the HTTP surface, on Twilio or on the built-in
// simulator. main and the end-to-end tests share it.
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

	pluginshim "github.com/flex-internal-call/internal-call/plugin-shim"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/httpapi"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/wasm/dialpad/page"
	"github.com/flex-internal-call/internal-call/web"
)

// Version names the release; the build sets it (-ldflags "-X …/server/app.Version=…").
// Pages and assets are cached per version, so it must be the same on every replica.
var Version = "dev"

// shutdownGrace is how long in-flight requests get to finish on SIGTERM.
const shutdownGrace = 25 * time.Second

// Server is a configured, listening server.
type Server struct {
	cfg      *config.Config
	log      *slog.Logger
	listener net.Listener
	http     *http.Server
	// URL is where the server can be reached (the public base URL).
	URL string
	// Simulator is the built-in Twilio stand-in, when running on it.
	Simulator *Simulator
}

// New listens on cfg.Addr and builds the server. On the simulator (no
// credentials configured) it starts one with simOpts and points the
// configuration at it; tests tune it, the binary passes the zero value.
func New(cfg *config.Config, log *slog.Logger, simOpts twiliosim.Options) (*Server, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("ADDR %s: %w", cfg.Addr, err)
	}
	s := &Server{cfg: cfg, log: log, listener: ln}
	var mount func(chi.Router)
	quiet := ""
	if cfg.Simulator {
		quiet = SimulatorPath + "/"
		if s.Simulator, err = startSimulator(cfg, ln.Addr(), simOpts, log); err != nil {
			ln.Close()
			return nil, err
		}
		mount = s.Simulator.mount
	}
	s.URL = cfg.PublicBaseURL.String()

	tw, err := twilioapi.New(twilioapi.Options{
		AccountSid: cfg.AccountSid,
		Username:   firstNonEmpty(cfg.APIKey, cfg.AccountSid),
		Password:   firstNonEmpty(cfg.APISecret, cfg.AuthToken),
		BaseURL:    cfg.APIBaseURL,
		Logger:     log,
	})
	if err != nil {
		ln.Close()
		return nil, err
	}
	if !cfg.Simulator {
		// Real Twilio is reachable before we serve: settle the workflow now so a
		// misconfiguration stops the server at start-up, naming what to fix.
		if cfg.WorkflowSid, err = callflow.ResolveWorkflow(tw, cfg.WorkspaceSid, cfg.WorkflowSid); err != nil {
			ln.Close()
			return nil, err
		}
	}
	flow := callflow.New(tw, callflow.Settings{
		WorkspaceSid:  cfg.WorkspaceSid,
		WorkflowSid:   cfg.WorkflowSid,
		PublicBaseURL: cfg.PublicBaseURL.String(),
		RingTimeout:   cfg.RingTimeout,
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
		Ready: func() error {
			_, err := tw.FetchWorkspace(cfg.WorkspaceSid)
			return err
		},
		Log:         log,
		Mount:       mount,
		QuietPrefix: quiet,
	})
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       90 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// Serve serves until ctx is done, then lets in-flight requests finish.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.listener) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if s.Simulator != nil {
		s.Simulator.close()
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
