package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/demo"
	"github.com/flex-internal-call/internal-call/server/demo/demotest"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// twilioOutage stands in front of the simulator: while down, every Twilio
// request answers 503, as during an outage.
func twilioOutage(t *testing.T, sim *twiliosim.Sim) (*httptest.Server, *atomic.Bool) {
	up := &atomic.Bool{}
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(simSrv.Close)
	target, _ := url.Parse(simSrv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"code":20503,"message":"Service Unavailable","status":503}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front, up
}

func get(t *testing.T, u string) (int, string) {
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Twilio being down when the server starts is not a configuration error: it
// serves, /readyz says why it is not ready, and it resolves the Internal Call
// workflow in the background once Twilio answers.
func TestStartsWhileTwilioIsDownAndBecomesReady(t *testing.T) {
	t.Parallel()
	sim, err := twiliosim.New(twiliosim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	front, up := twilioOutage(t, sim)
	creds := sim.Credentials()
	cfg, err := config.Load(func(k string) (string, bool) {
		v, ok := map[string]string{
			"TWILIO_ACCOUNT_SID": creds.AccountSid, "TWILIO_AUTH_TOKEN": creds.AuthToken,
			"TWILIO_FLEX_WORKSPACE_SID": sd.WorkspaceSid, "TWILIO_API_BASE_URL": front.URL,
			"PUBLIC_BASE_URL": "http://127.0.0.1:1", "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0",
		}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{})
	if err != nil {
		t.Fatalf("Twilio down at start-up stopped the server: %v", err)
	}
	demotest.Serve(t, srv.Serve)
	base := "http://" + srv.Addr().String()
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("/healthz %d while Twilio is down", code)
	}
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "Internal Call workflow") {
		t.Fatalf("/readyz %d %q while Twilio is down", code, body)
	}
	up.Store(true)
	ready := false
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && !ready; time.Sleep(200 * time.Millisecond) {
		code, _ := get(t, base+"/readyz")
		ready = code == 200
	}
	if !ready {
		_, body := get(t, base+"/readyz")
		t.Fatalf("never ready after Twilio came back: %s", body)
	}
}

// A configuration error stops the server at start, naming what to fix.
func TestAWorkflowThatDoesNotExistStopsTheServer(t *testing.T) {
	t.Parallel()
	sim, err := twiliosim.New(twiliosim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	sd, _ := sim.Seed()
	front, up := twilioOutage(t, sim)
	up.Store(true)
	creds := sim.Credentials()
	cfg, err := config.Load(func(k string) (string, bool) {
		v, ok := map[string]string{
			"TWILIO_ACCOUNT_SID": creds.AccountSid, "TWILIO_AUTH_TOKEN": creds.AuthToken,
			"TWILIO_FLEX_WORKSPACE_SID": sd.WorkspaceSid, "TWILIO_API_BASE_URL": front.URL,
			"TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID": "WW0123456789abcdef0123456789abcdef",
			"PUBLIC_BASE_URL":                        "http://127.0.0.1:1", "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0",
		}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{}); err == nil || !strings.Contains(err.Error(), "TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID") {
		t.Fatalf("a workflow that does not exist: %v", err)
	}
}

// A connection a client opened and never sent a request on holds net/http's
// graceful shutdown for 5 s; the server still stops within its grace, cleanly.
func TestShutdownStopsOnTimeDespiteAnUnusedConnection(t *testing.T) {
	t.Parallel()
	d, err := demo.New(demo.Options{Addr: "127.0.0.1:0", ShutdownGrace: 500 * time.Millisecond, AnnounceListenAddr: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Serve(ctx) }()
	if code, _ := get(t, d.URL+"/healthz"); code != 200 {
		t.Fatalf("/healthz %d", code)
	}
	conn, err := net.Dial("tcp", d.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // the server has accepted it
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Serve did not return within its 500 ms grace (plus slack)")
	}
}
