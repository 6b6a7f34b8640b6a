package chaos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// env is the system under test: the simulated Twilio on a loopback port of
// its own, two product replicas, and the round-robin proxy whose URL is the
// product's public base URL (what Twilio calls back, what browsers call).
type env struct {
	sim *twiliosim.Sim

	twilioURL string // the simulated REST APIs (TWILIO_API_BASE_URL)
	agentsURL string // the simulated agents' API (their browsers' SDK)
	publicURL string // the proxy

	proxy    *Proxy
	replicas []*replica

	stop context.CancelFunc
	done []<-chan struct{}
}

// replica is one product server process.
type replica struct {
	index int
	addr  string
	cfg   config.Config
	log   *slog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan error
}

// externalNumbers are the numbers agents may add: the simulator's phones
// (see Call.Number).
var externalNumbers = regexp.MustCompile(`^\+1555\d{7}$`)

// simClient is the simulated Twilio's HTTP client for TwiML and callbacks:
// many connections to the proxy at once, kept alive.
func simClient() *http.Client {
	return &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: 2048,
		IdleConnTimeout:     30 * time.Second,
	}}
}

func startEnv(cfg Config, p *plan, log *slog.Logger) (_ *env, err error) {
	e := &env{}
	ctx, cancel := context.WithCancel(context.Background())
	e.stop = cancel
	defer func() {
		if err != nil {
			e.close()
		}
	}()
	e.sim, err = twiliosim.New(twiliosim.Options{
		MediaSpeed: 1, AnswerDelay: cfg.AnswerDelay, HTTPClient: simClient(),
		Logger: log.With("component", "simulator"),
	})
	if err != nil {
		return nil, err
	}
	if _, err = e.sim.Seed(); err != nil {
		return nil, err
	}
	twLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	e.done = append(e.done, serveOn(ctx, twLn, e.sim.Handler()))
	e.twilioURL = "http://" + twLn.Addr().String()
	e.agentsURL = e.twilioURL + "/agents"

	proxyLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			proxyLn.Close() // not served yet
		}
	}()
	e.publicURL = "http://" + proxyLn.Addr().String()
	public, _ := url.Parse(e.publicURL)
	twilioURL, _ := url.Parse(e.twilioURL)

	// The contact centre: the seed, the agents and the queue the run calls.
	if _, err = e.sim.AddAgents(p.pairAgents, twiliosim.AgentSpec{Prefix: "agent"}); err != nil {
		return nil, err
	}
	if _, err = e.sim.AddAgents(p.members, twiliosim.AgentSpec{Prefix: "member", Skills: []string{queueSkill}}); err != nil {
		return nil, err
	}
	if _, err = e.sim.AddCallableQueue(QueueName, queueSkill); err != nil {
		return nil, err
	}

	// Twilio misbehaves from the first request the product sends.
	e.sim.Faults().Set(cfg.Faults)

	creds := e.sim.Credentials()
	sd, _ := e.sim.Seeded()
	base := config.Config{
		AccountSid: creds.AccountSid, AuthToken: creds.AuthToken,
		WorkspaceSid: sd.WorkspaceSid, WorkflowSid: sd.InternalCallWorkflowSid,
		PublicBaseURL: public, FlexOrigins: []string{e.publicURL},
		RingTimeout: cfg.RingTimeout, TrustProxy: true, APIBaseURL: twilioURL,
		Addr: "127.0.0.1:0", ExternalNumbers: externalNumbers,
	}
	var addrs []string
	for i := range 2 {
		r := &replica{index: i, cfg: base, log: log.With("replica", i)}
		if err := r.start(); err != nil {
			return nil, fmt.Errorf("replica %d: %w", i, err)
		}
		e.replicas = append(e.replicas, r)
		addrs = append(addrs, r.addr)
	}
	e.proxy = NewProxy(addrs...)
	e.done = append(e.done, serveOn(ctx, proxyLn, e.proxy))
	return e, nil
}

// seeded is the contact centre as it is now (with the added agents).
func (e *env) seeded() twiliosim.Seeded {
	sd, _ := e.sim.Seeded()
	return sd
}

// start builds the replica with app.New and serves; the first start picks a
// port, a restart listens on the same one again.
func (r *replica) start() error {
	cfg := r.cfg
	if r.addr != "" {
		cfg.Addr = r.addr
	}
	var srv *app.Server
	var err error
	for attempt := 0; ; attempt++ {
		srv, err = app.New(&cfg, r.log, app.Options{SweepInterval: 5 * time.Second, SweepGrace: 30 * time.Second}) // production's shutdown grace
		if err == nil || attempt == 20 || !isListenError(err) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	r.addr = srv.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	r.mu.Lock()
	r.cancel, r.done = cancel, done
	r.mu.Unlock()
	return nil
}

// shutdown stops the replica as SIGTERM does: no new connections, in-flight
// requests finish (up to the grace period).
func (r *replica) shutdown() error {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.cancel, r.done = nil, nil
	r.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	return <-done
}

// isListenError: the port is not free yet (the old process's listener).
func isListenError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "listen"
}

// restart stops replica i and starts a new one on the same port.
func (e *env) restart(i int, down time.Duration) (RestartReport, error) {
	r := e.replicas[i]
	rep := RestartReport{Replica: i, Addr: r.addr}
	t0 := time.Now()
	if err := r.shutdown(); err != nil {
		rep.ShutdownError = err.Error()
	}
	rep.ShutdownMs = time.Since(t0).Milliseconds()
	time.Sleep(down)
	t1 := time.Now()
	if err := r.start(); err != nil {
		return rep, fmt.Errorf("restart replica %d: %w", i, err)
	}
	rep.StartMs = time.Since(t1).Milliseconds()
	rep.DownMs = time.Since(t0).Milliseconds()
	return rep, nil
}

// RestartReport says how the replica restart went.
type RestartReport struct {
	Replica       int    `json:"replica"`
	Addr          string `json:"addr"`
	AtMs          int64  `json:"at_ms"` // since the first click
	ShutdownMs    int64  `json:"shutdown_ms"`
	StartMs       int64  `json:"start_ms"`
	DownMs        int64  `json:"down_ms"`
	ShutdownError string `json:"shutdown_error,omitempty"`
}

func (e *env) close() {
	for _, r := range e.replicas {
		_ = r.shutdown()
	}
	if e.stop != nil {
		e.stop()
	}
	for _, d := range e.done {
		<-d
	}
	if e.sim != nil {
		e.sim.Close()
	}
}

// logger is the product's and simulator's log unless asked for.
func logger(w io.Writer) *slog.Logger {
	if w == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
