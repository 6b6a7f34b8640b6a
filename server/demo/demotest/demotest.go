// Package demotest runs the demo (the product on its simulator) inside a
// test, on loopback, for the flow tests and the browser tests alike.
package demotest

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/demo"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// Options tune the demo a test runs.
type Options struct {
	// RingTimeout of the product (default 4s: tests ring out quickly).
	RingTimeout time.Duration
	// Sim tunes the simulator (media speed, answer delay, faults…).
	Sim twiliosim.Options
	// Log sends the server's and the simulator's log to stderr.
	Log bool
	// Metrics is where the product serves its metrics (default: nowhere).
	Metrics config.Metrics
	// FlexUIBundle is the built real Flex UI bundle (demo.Options.FlexUIBundle).
	FlexUIBundle string
	// FlexOrigins may frame the dialpad besides the demo's own origin
	// (demo.Options.FlexOrigins).
	FlexOrigins []string
	// ExternalNumbers agents may add to calls (demo.Options.ExternalNumbers).
	ExternalNumbers *regexp.Regexp
}

// LogRequested reports whether the developer asked for the server's log
// (TEST_SERVER_LOG=1 go test …).
func LogRequested() bool { return os.Getenv("TEST_SERVER_LOG") != "" }

// Start serves a demo on 127.0.0.1 (a free port, served and announced as
// http://127.0.0.1:<port>, so no port is closed and reopened) until the test
// ends or stop is called.
func Start(t testing.TB, o Options) (d *demo.Demo, stop func()) {
	t.Helper()
	if o.RingTimeout == 0 {
		o.RingTimeout = 4 * time.Second
	}
	log := slog.New(slog.DiscardHandler)
	if o.Log || LogRequested() {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	d, err := demo.New(demo.Options{Addr: "127.0.0.1:0", RingTimeout: o.RingTimeout, Sim: o.Sim, Log: log,
		ShutdownGrace: 5 * time.Second, AnnounceListenAddr: true, Metrics: o.Metrics, FlexUIBundle: o.FlexUIBundle,
		FlexOrigins: o.FlexOrigins, ExternalNumbers: o.ExternalNumbers})
	if err != nil {
		t.Fatal(err)
	}
	return d, serve(t, d.Serve)
}

// serve runs fn until stop or the end of the test, and checks it ended cleanly.
func serve(t testing.TB, fn func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				var b strings.Builder
				_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
				t.Errorf("serve: %v\n%s", err, b.String())
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// Serve runs any server's Serve until the test ends or stop is called.
func Serve(t testing.TB, fn func(context.Context) error) (stop func()) { return serve(t, fn) }

// MustURL parses u or fails the test.
func MustURL(t testing.TB, u string) *url.URL {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
