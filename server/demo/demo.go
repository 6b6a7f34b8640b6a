// Package demo runs the product on the built-in Twilio simulator: a seeded
// contact centre, the simulator's REST APIs on a loopback port of their own
// (where the server's twilio-go client talks to them as it would to Twilio),
// and, on the product's own port, the agent desktops at /demo/ and the
// simulator's page at /sim/. It is the glue between the two: neither the
// server nor the simulator knows the other.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/flexdesk"
)

// Paths on the product's port.
const (
	// SimulatorPath is where the simulator's page and agent API are mounted.
	SimulatorPath = "/sim"
	// DemoPath serves the agent desktops (the Flex stand-in running the plugin).
	DemoPath = "/demo"
)

// Agents are the demo's agents with a desktop at /demo/.
var Agents = []string{"alice", "bob", "carol"}

// Options configure a demo.
type Options struct {
	// Addr is the product's listen address (default 127.0.0.1:8080).
	Addr string
	// PublicBaseURL is where browsers and the simulator reach the product
	// (default http://localhost:<port of Addr>).
	PublicBaseURL *url.URL
	// FlexOrigins may frame the dialpad and call the API, besides the demo's own origin.
	FlexOrigins []string
	RingTimeout time.Duration // default 30s
	// ExternalNumbers are the numbers agents may add to a call (nil: none).
	ExternalNumbers *regexp.Regexp
	TrustProxy      bool
	Sim             twiliosim.Options
	Log             *slog.Logger
	// ShutdownGrace bounds how long Serve waits for requests on shutdown
	// (default 1s: the demo's event streams end at once and its other requests
	// are short, so the grace only runs out on a connection a browser opened
	// and never used, which it then closes: Ctrl-C stops in under 2 s).
	ShutdownGrace time.Duration
	// AnnounceListenAddr makes the default public URL http://<listen address>
	// (e.g. 127.0.0.1:port) instead of http://localhost:<port>.
	AnnounceListenAddr bool
	// Metrics is where the product serves its metrics (default: nowhere).
	Metrics config.Metrics
	// FlexUIBundle is the built real Flex UI bundle, for the desktops at
	// /demo/agent?worker=…&flex=real (the browser tests); empty: none.
	FlexUIBundle string
}

// Demo is the product serving on a seeded simulator.
type Demo struct {
	*app.Server
	Sim    *twiliosim.Sim
	Seeded twiliosim.Seeded
	// TwilioURL is the simulator's REST base URL (loopback).
	TwilioURL string
	// PageURL is the demo: agent desktops side by side, each running the plugin.
	PageURL string
	// SimPageURL is the simulator's own page (agents, tasks, conferences).
	SimPageURL string

	twilio       *http.Server
	twLn         net.Listener
	flexUIBundle string
}

// New starts the simulator, seeds it and builds the product on it.
func New(o Options) (*Demo, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:8080"
	}
	if o.RingTimeout == 0 {
		o.RingTimeout = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.ShutdownGrace == 0 {
		o.ShutdownGrace = time.Second
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("ADDR %s: %w", o.Addr, err)
	}
	d, err := build(o, ln)
	if err != nil {
		ln.Close()
		return nil, err
	}
	return d, nil
}

func build(o Options, ln net.Listener) (*Demo, error) {
	public := o.PublicBaseURL
	if public == nil {
		public = &url.URL{Scheme: "http", Host: fmt.Sprintf("localhost:%d", ln.Addr().(*net.TCPAddr).Port)}
		if o.AnnounceListenAddr {
			public.Host = ln.Addr().String()
		}
	}
	simOpts := o.Sim
	simOpts.ProductBaseURL = public.String()
	if simOpts.Logger == nil {
		simOpts.Logger = o.Log.With("component", "simulator")
	}
	simOpts.DescribeTask = describeTask
	sim, err := twiliosim.New(simOpts)
	if err != nil {
		return nil, err
	}
	seeded, err := sim.Seed()
	if err != nil {
		sim.Close()
		return nil, err
	}
	// The simulated Twilio listens on a loopback port of its own, as Twilio
	// is another host: the server reaches it only through twilio-go.
	twLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		sim.Close()
		return nil, err
	}
	d := &Demo{Sim: sim, Seeded: seeded, twLn: twLn, flexUIBundle: o.FlexUIBundle,
		TwilioURL: "http://" + twLn.Addr().String(),
		twilio:    &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 5 * time.Second}}
	go func() { _ = d.twilio.Serve(twLn) }()

	creds := sim.Credentials()
	twilioURL, _ := url.Parse(d.TwilioURL)
	// The demo's agent desktops are pages of the product: they frame the
	// dialpad and call the API as Flex does.
	own := public.Scheme + "://" + public.Host
	origins := slices.Clone(o.FlexOrigins)
	if !slices.Contains(origins, own) {
		origins = append(origins, own)
	}
	cfg := &config.Config{
		AccountSid: creds.AccountSid, AuthToken: creds.AuthToken,
		WorkspaceSid: seeded.WorkspaceSid, WorkflowSid: seeded.InternalCallWorkflowSid,
		PublicBaseURL: public, FlexOrigins: origins, Addr: ln.Addr().String(),
		RingTimeout: o.RingTimeout, TrustProxy: o.TrustProxy, APIBaseURL: twilioURL,
		Metrics: o.Metrics, ExternalNumbers: o.ExternalNumbers,
	}
	d.Server, err = app.New(cfg, o.Log, app.Options{
		Listener:      ln,
		Mount:         d.mount,
		QuietPrefix:   SimulatorPath + "/",
		ShutdownGrace: o.ShutdownGrace,
		// Event streams and ringing calls end with the simulator, so the
		// server's shutdown has only short requests to wait for.
		BeforeShutdown: d.Sim.Close,
	})
	if err != nil {
		d.close()
		return nil, err
	}
	d.PageURL = call.JoinURL(public.String(), DemoPath+"/")
	d.SimPageURL = call.JoinURL(public.String(), SimulatorPath+"/")
	return d, nil
}

// mount adds the simulator's page and agent API, the demo's call builder and
// the agent desktops to the product's router.
func (d *Demo) mount(r chi.Router) {
	r.Get(SimulatorPath+"/demo/attributes", d.serveCallerTask)
	r.Mount(SimulatorPath, d.Sim.Handler())
	r.Mount(DemoPath, flexdesk.Handler(flexdesk.Options{
		Prefix:        DemoPath,
		AgentsURL:     SimulatorPath + "/agents",
		StateURL:      SimulatorPath + "/state",
		SimPageURL:    SimulatorPath + "/",
		PluginURL:     call.PathPlugin,
		Configuration: d.Sim.Flex.Configuration,
		Agents:        Agents,
		FlexUIBundle:  d.flexUIBundle,
	}))
}

// Serve serves until ctx is done, then stops the product, the simulated
// Twilio and the simulator.
func (d *Demo) Serve(ctx context.Context) error {
	err := d.Server.Serve(ctx)
	d.close()
	return err
}

func (d *Demo) close() {
	d.Sim.Close() // idempotent

	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := d.twilio.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		_ = d.twilio.Close()
	}
	_ = d.twilio.Close()
}
