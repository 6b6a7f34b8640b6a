package app

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
	"github.com/flex-internal-call/internal-call/server/twiliosim/flexdesk"
)

// SimulatorPath is where the built-in Twilio simulator is mounted.
const SimulatorPath = "/sim"

// DemoPath is where the demo's agent desktops (the Flex stand-in running the
// plugin) are served on the simulator.
const DemoPath = "/demo"

// Simulator is the built-in Twilio stand-in the server runs on without credentials.
type Simulator struct {
	Sim    *twiliosim.Sim
	Seeded twiliosim.Seeded
	// PageURL is the demo: agent desktops side by side, each running the plugin.
	PageURL string
	// SimPageURL is the simulator's own page (agents, tasks, conferences).
	SimPageURL string
}

// startSimulator starts the simulator, seeds the demo contact centre, and
// points the configuration at it: credentials, workspace, workflow, and the
// REST base URL on this very server (loopback).
func startSimulator(cfg *config.Config, addr net.Addr, opts twiliosim.Options, log *slog.Logger) (*Simulator, error) {
	port := addr.(*net.TCPAddr).Port
	if cfg.PublicBaseURL == nil {
		cfg.PublicBaseURL = &url.URL{Scheme: "http", Host: fmt.Sprintf("localhost:%d", port)}
	}
	opts.ProductBaseURL = cfg.PublicBaseURL.String()
	// The demo's agent desktops are pages of this server: let them frame the
	// dialpad and call the API like Flex does.
	own := cfg.PublicBaseURL.Scheme + "://" + cfg.PublicBaseURL.Host
	if !slices.Contains(cfg.FlexOrigins, own) {
		cfg.FlexOrigins = append(cfg.FlexOrigins, own)
	}
	if opts.Logger == nil {
		opts.Logger = log.With("component", "simulator")
	}
	if spec := os.Getenv("SIM_FAULTS"); spec != "" && !opts.Faults.Active() {
		f, err := faults.ParseSpec(spec)
		if err != nil {
			return nil, fmt.Errorf("SIM_FAULTS: %w", err)
		}
		opts.Faults = f
	}
	sim, err := twiliosim.New(opts)
	if err != nil {
		return nil, err
	}
	seeded, err := sim.Seed()
	if err != nil {
		sim.Close()
		return nil, err
	}
	creds := sim.Credentials()
	cfg.AccountSid, cfg.AuthToken = creds.AccountSid, creds.AuthToken
	cfg.APIKey, cfg.APISecret = "", ""
	cfg.WorkspaceSid = seeded.WorkspaceSid
	cfg.WorkflowSid = seeded.InternalCallWorkflowSid
	cfg.APIBaseURL = &url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", port), Path: SimulatorPath}
	return &Simulator{Sim: sim, Seeded: seeded, PageURL: cfg.PublicURL(DemoPath + "/"),
		SimPageURL: cfg.PublicURL(SimulatorPath + "/")}, nil
}

func (s *Simulator) mount(r chi.Router) {
	r.Mount(SimulatorPath, s.Sim.Handler())
	r.Mount(DemoPath, flexdesk.Handler(flexdesk.Options{
		Prefix:        DemoPath,
		AgentsURL:     SimulatorPath + "/agents",
		StateURL:      SimulatorPath + "/state",
		SimPageURL:    SimulatorPath + "/",
		PluginURL:     call.PathPlugin,
		Configuration: s.Sim.Flex.Configuration,
		Agents:        []string{"alice", "bob", "carol"},
	}))
}

func (s *Simulator) close() { s.Sim.Close() }
