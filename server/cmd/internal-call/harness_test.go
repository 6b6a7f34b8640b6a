package main

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
)

// account is a simulated Twilio account served over loopback HTTP, and the
// settings the binary runs with against it. Every request the commands send
// is checked against Twilio's OpenAPI documents, undocumented parameters
// included, and so is every answer.
type account struct {
	t      *testing.T
	sim    *twiliosim.Sim
	sd     twiliosim.Seeded
	twilio string
	// public stands for this server at PUBLIC_BASE_URL (https).
	public *httptest.Server
	env    map[string]string
}

const (
	apiKey    = "SK00000000000000000000000000000001"
	apiSecret = "apikeysecret"
	callerID  = "+15005550006"
)

// newAccount starts a simulator seeded by seed (SeedBare or Seed) and an
// https stand-in for this server answering /healthz and the plugin script
// (publicHandler nil), or serving publicHandler.
func newAccount(t *testing.T, seed func(*twiliosim.Sim) (twiliosim.Seeded, error), publicHandler http.Handler, simOpts twiliosim.Options) *account {
	t.Helper()
	checker := &contract.ResponseChecker{}
	simOpts.Contract = contract.Options{RejectUnknown: true, Responses: checker}
	simOpts.APIKeys = map[string]string{apiKey: apiSecret}
	if publicHandler == nil {
		publicHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/healthz", call.PathPlugin:
				w.Write([]byte("ok"))
			default:
				http.NotFound(w, r)
			}
		})
	}
	public := httptest.NewUnstartedServer(publicHandler)
	// The bare-account test reaches it over plain http on purpose.
	public.Config.ErrorLog = log.New(io.Discard, "", 0)
	public.StartTLS()
	t.Cleanup(public.Close)
	if simOpts.HTTPClient == nil {
		simOpts.HTTPClient = public.Client()
	}
	sim, err := twiliosim.New(simOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	sd, err := seed(sim)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		for _, v := range checker.Violations() {
			t.Errorf("contract: %s", v)
		}
	})
	creds := sim.Credentials()
	return &account{t: t, sim: sim, sd: sd, twilio: srv.URL, public: public, env: map[string]string{
		"TWILIO_ACCOUNT_SID": creds.AccountSid, "TWILIO_AUTH_TOKEN": creds.AuthToken,
		"TWILIO_FLEX_WORKSPACE_SID": sd.WorkspaceSid, "TWILIO_API_BASE_URL": srv.URL,
		"PUBLIC_BASE_URL": public.URL, "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0",
	}}
}

func bare(t *testing.T) *account {
	return newAccount(t, (*twiliosim.Sim).SeedBare, nil, twiliosim.Options{})
}

// run runs the binary's command line with stdin and returns its exit status and output.
func (a *account) run(stdin string, args ...string) (code int, stdout, stderr string) {
	a.t.Helper()
	env := func() (config.Lookup, error) {
		return func(k string) (string, bool) { v, ok := a.env[k]; return v, ok }, nil
	}
	var out, errb bytes.Buffer
	code = program(env, &connections{Server: a.public.Client()}).Execute(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// mustRun runs a command that must succeed.
func (a *account) mustRun(args ...string) string {
	a.t.Helper()
	code, out, errs := a.run("", args...)
	if code != 0 {
		a.t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errs)
	}
	return out
}

// internalCallWorkflow is the one workflow named "Internal Call…" ("" when none).
func (a *account) internalCallWorkflow() (sid, configuration string) {
	a.t.Helper()
	for _, w := range a.sim.TaskRouter.Workflows(a.sd.WorkspaceSid) {
		if strings.HasPrefix(w.FriendlyName, "Internal Call") {
			if sid != "" {
				a.t.Fatalf("several Internal Call workflows")
			}
			sid, configuration = w.Sid, w.Configuration
		}
	}
	return sid, configuration
}
