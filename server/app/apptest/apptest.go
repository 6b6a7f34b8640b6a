// Package apptest runs the whole server inside a test, on loopback, for the
// flow tests and the browser tests alike.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// Start loads the settings in env (ADDR defaults to 127.0.0.1:0; without
// Twilio credentials the server runs on its simulator, tuned by simOpts),
// overrides the ring timeout, and serves until stop is called or the test
// ends. logEnv names an environment variable that, when set, sends the
// server's log to stderr.
func Start(t testing.TB, env map[string]string, ringTimeout time.Duration, simOpts twiliosim.Options, logEnv string) (srv *app.Server, stop func()) {
	t.Helper()
	cfg, err := config.Load(func(k string) (string, bool) {
		if v, ok := env[k]; ok {
			return v, true
		}
		if k == "ADDR" {
			return "127.0.0.1:0", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.RingTimeout = ringTimeout
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv(logEnv) != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	srv, err = app.New(cfg, log, simOpts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return srv, stop
}
