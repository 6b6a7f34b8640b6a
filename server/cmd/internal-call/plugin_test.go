package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/server/admin"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// releaseOther releases another team's plugin, as Flex's own CLI would.
func (a *account) releaseOther() {
	a.t.Helper()
	base, _ := url.Parse(a.twilio)
	creds := a.sim.Credentials()
	c, err := twilioapi.New(twilioapi.Options{AccountSid: creds.AccountSid, Username: creds.AccountSid, Password: creds.AuthToken, BaseURL: base})
	if err != nil {
		a.t.Fatal(err)
	}
	ctx := context.Background()
	p, err := c.CreatePlugin(ctx, admin.Plugin{UniqueName: "crm-panel", FriendlyName: "CRM panel"})
	if err != nil {
		a.t.Fatal(err)
	}
	v, err := c.CreatePluginVersion(ctx, admin.PluginVersion{PluginSid: p.Sid, Version: "2.3.0", URL: "https://assets.example.com/crm-panel.js"})
	if err != nil {
		a.t.Fatal(err)
	}
	cfg, err := c.CreatePluginConfiguration(ctx, "crm 2.3.0", []admin.ConfiguredPlugin{{VersionSid: v.Sid, Phase: 3}})
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := c.CreateRelease(ctx, cfg); err != nil {
		a.t.Fatal(err)
	}
}

func (a *account) released() string {
	var out []string
	for _, p := range a.sim.Flex.ReleasedPlugins() {
		out = append(out, p.UniqueName+"@"+p.Version+" "+p.PluginURL)
	}
	return strings.Join(out, ", ")
}

// Deploy keeps the other live plugin; a second deploy changes nothing; a new
// public URL makes a new version; rollback returns to the release before.
func TestPluginDeployKeepsOtherPluginsAndRollsBack(t *testing.T) {
	t.Parallel()
	a := newAccount(t, (*twiliosim.Sim).Seed, nil, twiliosim.Options{})
	if out := a.mustRun("plugin", "status"); !strings.Contains(out, "No plugin release") {
		t.Errorf("status before any release:\n%s", out)
	}
	if code, _, errs := a.run("", "plugin", "rollback"); code != 1 || !strings.Contains(errs, "no release before the live one") {
		t.Errorf("rollback with nothing released: %d %s", code, errs)
	}
	a.releaseOther()
	ours := a.public.URL + "/plugin/internal-call.js"
	out := a.mustRun("plugin", "deploy")
	if !strings.Contains(out, "keeping crm-panel@2.3.0") || a.released() != "crm-panel@2.3.0 https://assets.example.com/crm-panel.js, internal-call@1.0.0 "+ours {
		t.Fatalf("deploy: %s\nreleased: %s", out, a.released())
	}
	if out := a.mustRun("plugin", "deploy"); !strings.Contains(out, "Nothing to change") {
		t.Errorf("second deploy:\n%s", out)
	}
	status := a.mustRun("plugin", "status")
	if !strings.Contains(status, "internal-call  1.0.0    3      "+ours+"  (this server)") || !strings.Contains(status, "2 release(s)") {
		t.Errorf("status:\n%s", status)
	}
	moved := "https://calls.example.com"
	a.env["PUBLIC_BASE_URL"] = moved
	a.mustRun("plugin", "deploy")
	if got := a.released(); got != "crm-panel@2.3.0 https://assets.example.com/crm-panel.js, internal-call@1.0.1 "+moved+"/plugin/internal-call.js" {
		t.Errorf("after moving: %s", got)
	}
	out = a.mustRun("plugin", "rollback")
	if got := a.released(); got != "crm-panel@2.3.0 https://assets.example.com/crm-panel.js, internal-call@1.0.0 "+ours {
		t.Errorf("after rollback: %s\n%s", got, out)
	}
	if status := a.mustRun("plugin", "status"); !strings.Contains(status, "is live at "+ours+", not at this server's "+moved) {
		t.Errorf("status after rollback:\n%s", status)
	}
}
