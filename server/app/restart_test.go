package app_test

import (
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/demo/demotest"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// The server keeps no call state: a call that rings while the server is
// restarted carries on with the new process.
func TestServerRestartWhileRinging(t *testing.T) {
	t.Parallel()
	// Twilio (the simulator) outlives the server here, as it does in production.
	// Media plays in real time so the caller's ringback does not ask the server
	// for more while it is down.
	sim, err := twiliosim.New(twiliosim.Options{MediaSpeed: 1, AnswerDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	twilio := httptest.NewServer(sim.Handler())
	t.Cleanup(twilio.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	creds := sim.Credentials()
	env := map[string]string{
		"TWILIO_ACCOUNT_SID": creds.AccountSid, "TWILIO_AUTH_TOKEN": creds.AuthToken,
		"TWILIO_FLEX_WORKSPACE_SID": sd.WorkspaceSid, "TWILIO_API_BASE_URL": twilio.URL,
		"PUBLIC_BASE_URL": "http://" + addr, "ADDR": addr, "METRICS_ADDR": "127.0.0.1:0",
	}
	start := func() (stop func()) {
		cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.DiscardHandler)
		if demotest.LogRequested() {
			log = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
		srv, err := app.New(cfg, log, app.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return demotest.Serve(t, srv.Serve)
	}

	stop := start()
	p := &product{t: t, url: "http://" + addr, agents: twilio.URL + "/agents", sim: sim, sd: sd}
	alice, bob := p.login("alice"), p.login("bob")
	callerTask := alice.call(agentTarget(bob))
	res, _ := bob.waitOffer()
	p.status(callerTask, call.StatusRinging)
	// Restart only once the caller hears ringback: Twilio has the tone (it
	// caches media) and the TwiML for the whole ring timeout, so nothing is
	// fetched from the server while it is down.
	waitFor(t, "ringback playing", func() bool { return sim.Voice.MediaFetched(p.url + call.PathRingbackTone) })

	stop()
	start()

	bob.answer(res)
	p.status(callerTask, call.StatusConnected)
	alice.act(callerTask, call.ActionHangup, 200)
	p.status(res.TaskSid, call.StatusEnded)
	p.assignment("wrapping", callerTask, res.TaskSid)
	alice.finish()
	bob.finish()
	p.settled()
}
