package twiliosim_test

import (
	"net/http"
	"testing"
	"time"

	twilio "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	tr "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
)

// A bare account has Flex's own resources and nothing of Internal Call.
func TestSeedBareLeavesInternalCallUnconfigured(t *testing.T) {
	checker := &contract.ResponseChecker{}
	sim, srv := mounted(t, twiliosim.Options{Contract: contract.Options{RejectUnknown: true, Responses: checker}})
	sd, err := sim.SeedBare()
	if err != nil {
		t.Fatal(err)
	}
	if sd.InternalCallWorkflowSid != "" || sd.Workflows[twiliosim.SeedWorkflowInternal] != "" {
		t.Errorf("bare account has an Internal Call workflow: %+v", sd.Workflows)
	}
	creds := sim.Credentials()
	tw := restClient(srv, creds.AccountSid, creds.AuthToken)
	wfs, err := tw.TaskrouterV1.ListWorkflow(sd.WorkspaceSid, &tr.ListWorkflowParams{})
	if err != nil || len(wfs) != 1 || *wfs[0].FriendlyName != twiliosim.SeedWorkflowAnyone {
		t.Errorf("workflows %v %v", wfs, err)
	}
	if _, ok := sim.Flex.OutboundCallFlow(); ok {
		t.Error("bare account has outbound_call_flows.default")
	}
	if _, ok := sim.Flex.InternalCallFeature(); ok {
		t.Error("bare account has the internal_call feature flags")
	}
	if sim.Flex.WorkspaceSid() != sd.WorkspaceSid {
		t.Errorf("Flex configuration names workspace %q, want %s", sim.Flex.WorkspaceSid(), sd.WorkspaceSid)
	}
	if got := sim.Flex.ReleasedPlugins(); len(got) != 0 {
		t.Errorf("bare account has released plugins %+v", got)
	}
	if _, err := sim.Seed(); err == nil {
		t.Error("Seed after SeedBare accepted")
	}
	if err := checker.Err(); err != nil {
		t.Error(err)
	}
}

// The account resource answers its own credentials and its API keys' alone.
func TestAccountFetchWithAuthTokenAndAPIKey(t *testing.T) {
	const key, secret = "SK00000000000000000000000000000001", "keysecret"
	sim, srv := mounted(t, twiliosim.Options{APIKeys: map[string]string{key: secret}})
	creds := sim.Credentials()
	fetch := func(user, pass string) error {
		c := &client.Client{
			Credentials: client.NewCredentials(user, pass),
			HTTPClient:  &http.Client{Transport: twiliosim.Transport(srv.URL+"/sim", nil), Timeout: 10 * time.Second},
		}
		c.SetAccountSid(creds.AccountSid)
		a, err := twilio.NewRestClientWithParams(twilio.ClientParams{Client: c}).Api.FetchAccount(creds.AccountSid)
		if err == nil && (a.Sid == nil || *a.Sid != creds.AccountSid) {
			t.Errorf("fetched account %+v", a)
		}
		return err
	}
	for _, ok := range [][2]string{{creds.AccountSid, creds.AuthToken}, {key, secret}} {
		if err := fetch(ok[0], ok[1]); err != nil {
			t.Errorf("%s: %v", ok[0], err)
		}
	}
	for _, bad := range [][2]string{{creds.AccountSid, "wrong"}, {key, creds.AuthToken}, {key, ""}, {"SK00000000000000000000000000000002", secret}} {
		if err := fetch(bad[0], bad[1]); err == nil {
			t.Errorf("%s/%s admitted", bad[0], bad[1])
		}
	}
}
