package flexapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	twilio "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	flex "github.com/twilio/twilio-go/rest/flex/v1"

	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
	"github.com/flex-internal-call/internal-call/server/twiliosim/flexapi"
)

const accountSid = "AC00000000000000000000000000000000"

// rewrite sends twilio-go's https://flex-api.twilio.com/... to the test server
// under /flex-api.
type rewrite struct{ base *url.URL }

func (t rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	prefix := "/" + strings.TrimSuffix(r.URL.Host, ".twilio.com")
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	r.URL.Path = prefix + r.URL.Path
	r.Host = ""
	return http.DefaultTransport.RoundTrip(r)
}

func newClient(t *testing.T) (*flexapi.API, *twilio.RestClient) {
	t.Helper()
	api := flexapi.New(accountSid)
	// Every request and answer is checked against Twilio's OpenAPI document,
	// undocumented parameters included.
	checker := &contract.ResponseChecker{}
	r := chi.NewRouter()
	r.Use(contract.Options{Responses: checker, RejectUnknown: true}.Middleware)
	r.Route("/flex-api", api.Routes)
	srv := httptest.NewServer(r)
	t.Cleanup(func() {
		srv.Close()
		for _, v := range checker.Violations() {
			t.Errorf("contract: %s", v)
		}
	})
	base, _ := url.Parse(srv.URL)
	c := &client.Client{
		Credentials: client.NewCredentials(accountSid, "devtoken"),
		HTTPClient:  &http.Client{Transport: rewrite{base}},
	}
	c.SetAccountSid(accountSid)
	return api, twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
}

func TestConfigurationUpdateMergesTopLevel(t *testing.T) {
	api, tw := newClient(t)
	_, err := tw.FlexV1.UpdateConfiguration(new(flex.UpdateConfigurationParams).SetBody(map[string]any{
		"account_sid":              accountSid,
		"taskrouter_workspace_sid": "WS00000000000000000000000000000001",
		"outbound_call_flows": map[string]any{"default": map[string]any{
			"workflow_sid": "WW00000000000000000000000000000001", "queue_sid": "WQ00000000000000000000000000000001",
			"caller_id": "+15005550006", "enabled": true, "location": "US",
		}},
		"ui_attributes": map[string]any{"custom_data": map[string]any{"features": map[string]any{
			"internal_call": map[string]any{"enabled": true, "enable_call_agent": true, "enable_call_queue": false},
		}}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	// A second update replaces ui_attributes whole and leaves other keys alone.
	cfg, err := tw.FlexV1.UpdateConfiguration(new(flex.UpdateConfigurationParams).SetBody(map[string]any{
		"account_sid":   accountSid,
		"ui_attributes": map[string]any{"theme": "dark"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.TaskrouterWorkspaceSid == nil || *cfg.TaskrouterWorkspaceSid != "WS00000000000000000000000000000001" {
		t.Errorf("workspace sid lost: %v", cfg.TaskrouterWorkspaceSid)
	}
	if ui := (*cfg.UiAttributes).(map[string]any); ui["custom_data"] != nil || ui["theme"] != "dark" {
		t.Errorf("ui_attributes not replaced: %v", ui)
	}
	got, err := tw.FlexV1.FetchConfiguration(nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.AccountSid != accountSid || got.DateUpdated == nil {
		t.Errorf("fetch: %+v", got)
	}
	flow, ok := api.OutboundCallFlow()
	if !ok || flow.WorkflowSid != "WW00000000000000000000000000000001" || !flow.Enabled || flow.CallerID != "+15005550006" {
		t.Errorf("outbound flow %+v %v", flow, ok)
	}
	if _, ok := api.InternalCallFeature(); ok {
		t.Error("feature switches should be gone with the replaced ui_attributes")
	}
}

func TestConfigurationUpdateNeedsAccountSid(t *testing.T) {
	_, tw := newClient(t)
	_, err := tw.FlexV1.UpdateConfiguration(new(flex.UpdateConfigurationParams).SetBody(map[string]any{"ui_version": "2.0"}))
	if err == nil || !strings.Contains(err.Error(), "account_sid") {
		t.Fatalf("want account_sid error, got %v", err)
	}
}

func TestPluginDeploy(t *testing.T) {
	api, tw := newClient(t)
	p, err := tw.FlexV1.CreatePlugin(new(flex.CreatePluginParams).SetUniqueName("internal-call").SetFriendlyName("Internal Call"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.FlexV1.CreatePlugin(new(flex.CreatePluginParams).SetUniqueName("internal-call")); err == nil {
		t.Error("duplicate unique name accepted")
	}
	byName, err := tw.FlexV1.FetchPlugin("internal-call", nil)
	if err != nil || *byName.Sid != *p.Sid {
		t.Fatalf("fetch by name: %v %v", byName, err)
	}
	v, err := tw.FlexV1.CreatePluginVersion(*p.Sid, new(flex.CreatePluginVersionParams).
		SetVersion("1.0.0").SetPluginUrl("https://example.com/plugin/internal-call.js").SetPrivate(false))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := tw.FlexV1.ListPluginVersion(*p.Sid, nil)
	if err != nil || len(vs) != 1 || *vs[0].Sid != *v.Sid {
		t.Fatalf("versions: %v %v", vs, err)
	}
	cfg, err := tw.FlexV1.CreatePluginConfiguration(new(flex.CreatePluginConfigurationParams).
		SetName("v1").SetPlugins([]any{map[string]any{"plugin_version": *v.Sid, "phase": 3}}))
	if err != nil {
		t.Fatal(err)
	}
	cps, err := tw.FlexV1.ListConfiguredPlugin(*cfg.Sid, nil)
	if err != nil || len(cps) != 1 || *cps[0].PluginVersionSid != *v.Sid || cps[0].Phase != 3 || *cps[0].UniqueName != "internal-call" {
		t.Fatalf("configured plugins: %+v %v", cps, err)
	}
	rel, err := tw.FlexV1.CreatePluginRelease(new(flex.CreatePluginReleaseParams).SetConfigurationId(*cfg.Sid))
	if err != nil || *rel.ConfigurationSid != *cfg.Sid {
		t.Fatalf("release: %v %v", rel, err)
	}
	rels, err := tw.FlexV1.ListPluginRelease(nil)
	if err != nil || len(rels) != 1 {
		t.Fatalf("releases: %v %v", rels, err)
	}
	if _, err := tw.FlexV1.FetchPluginRelease(*rel.Sid, nil); err != nil {
		t.Fatal(err)
	}
	got := api.ReleasedPlugins()
	if len(got) != 1 || got[0].PluginURL != "https://example.com/plugin/internal-call.js" {
		t.Errorf("released: %+v", got)
	}
}

func TestWorkspaceSid(t *testing.T) {
	api := flexapi.New(accountSid)
	if got := api.WorkspaceSid(); got != "" {
		t.Errorf("fresh account: %q", got)
	}
	const ws = "WS00000000000000000000000000000001"
	if _, err := api.UpdateConfiguration(map[string]any{"account_sid": accountSid, "taskrouter_workspace_sid": ws}); err != nil {
		t.Fatal(err)
	}
	if got := api.WorkspaceSid(); got != ws || api.Configuration()["taskrouter_workspace_sid"] != ws {
		t.Errorf("WorkspaceSid() = %q, configuration %v", got, api.Configuration()["taskrouter_workspace_sid"])
	}
}

// Archived plugins and versions stay listed but cannot go into a new
// configuration; a configuration holds one version per plugin.
func TestPluginArchiveAndConfigurationRules(t *testing.T) {
	_, tw := newClient(t)
	p, err := tw.FlexV1.CreatePlugin(new(flex.CreatePluginParams).SetUniqueName("other"))
	if err != nil {
		t.Fatal(err)
	}
	version := func(v string) string {
		t.Helper()
		pv, err := tw.FlexV1.CreatePluginVersion(*p.Sid, new(flex.CreatePluginVersionParams).
			SetVersion(v).SetPluginUrl("https://example.com/other-"+v+".js").SetCliVersion("6.0.0"))
		if err != nil {
			t.Fatal(err)
		}
		return *pv.Sid
	}
	v1, v2 := version("1.0.0"), version("1.0.1")
	entry := func(sid string) any { return map[string]any{"plugin_version": sid, "phase": 3} }
	if _, err := tw.FlexV1.CreatePluginConfiguration(new(flex.CreatePluginConfigurationParams).
		SetName("both").SetPlugins([]any{entry(v1), entry(v2)})); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("two versions of one plugin: %v", err)
	}
	av, err := tw.FlexV1.UpdatePluginVersionArchive(*p.Sid, v1, nil)
	if err != nil || av.Archived == nil || !*av.Archived {
		t.Fatalf("archive version: %+v %v", av, err)
	}
	if _, err := tw.FlexV1.UpdatePluginVersionArchive(*p.Sid, v1, nil); err == nil {
		t.Error("archived twice")
	}
	if _, err := tw.FlexV1.CreatePluginConfiguration(new(flex.CreatePluginConfigurationParams).
		SetName("old").SetPlugins([]any{entry(v1)})); err == nil || !strings.Contains(err.Error(), "archived") {
		t.Errorf("archived version in a configuration: %v", err)
	}
	c, err := tw.FlexV1.CreatePluginConfiguration(new(flex.CreatePluginConfigurationParams).
		SetName("new").SetPlugins([]any{entry(v2)}))
	if err != nil {
		t.Fatal(err)
	}
	if ac, err := tw.FlexV1.UpdatePluginConfigurationArchive(*c.Sid, nil); err != nil || !*ac.Archived {
		t.Fatalf("archive configuration: %+v %v", ac, err)
	}
	if ap, err := tw.FlexV1.UpdatePluginArchive(*p.Sid, nil); err != nil || !*ap.Archived {
		t.Fatalf("archive plugin: %+v %v", ap, err)
	}
	if _, err := tw.FlexV1.CreatePluginVersion(*p.Sid, new(flex.CreatePluginVersionParams).
		SetVersion("2.0.0").SetPluginUrl("https://example.com/other-2.js")); err == nil {
		t.Error("new version of an archived plugin accepted")
	}
	if ps, err := tw.FlexV1.ListPlugin(nil); err != nil || len(ps) != 1 || !*ps[0].Archived {
		t.Errorf("archived plugin listed: %+v %v", ps, err)
	}
}
