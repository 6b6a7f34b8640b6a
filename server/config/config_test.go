package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const (
	acct = "AC00000000000000000000000000000001"
	ws   = "WS00000000000000000000000000000001"
)

// The production server never falls back to a simulator: with nothing set it
// refuses to start and names every variable it needs.
func TestNoCredentialsRefusesToStart(t *testing.T) {
	_, err := Load(envOf(nil))
	if err == nil {
		t.Fatal("started with no Twilio settings at all")
	}
	for _, name := range []string{"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FLEX_WORKSPACE_SID", "PUBLIC_BASE_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestDefaults(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"TWILIO_ACCOUNT_SID": acct, "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FLEX_WORKSPACE_SID": ws, "PUBLIC_BASE_URL": "https://ic.example.com",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.RingTimeout != 30*time.Second || len(c.FlexOrigins) != 1 || c.FlexOrigins[0] != "https://flex.twilio.com" || c.TrustProxy {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestMissingSettingsAreNamed(t *testing.T) {
	_, err := Load(envOf(map[string]string{"TWILIO_ACCOUNT_SID": acct}))
	if err == nil {
		t.Fatal("started without auth token, workspace and public URL")
	}
	for _, name := range []string{"TWILIO_AUTH_TOKEN", "TWILIO_FLEX_WORKSPACE_SID", "PUBLIC_BASE_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestRealConfiguration(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"TWILIO_ACCOUNT_SID":        acct,
		"TWILIO_AUTH_TOKEN":         "tok",
		"TWILIO_FLEX_WORKSPACE_SID": ws,
		"PUBLIC_BASE_URL":           "https://ic.example.com/",
		"FLEX_ORIGINS":              "https://flex.twilio.com, https://flex.example.com/",
		"RING_TIMEOUT":              "45s",
		"TRUST_PROXY":               "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL("/twiml/caller") != "https://ic.example.com/twiml/caller" || len(c.FlexOrigins) != 2 || c.FlexOrigins[1] != "https://flex.example.com" || c.RingTimeout != 45*time.Second || !c.TrustProxy {
		t.Fatalf("parsed: %+v", c)
	}
}

func TestBadValuesAreRefused(t *testing.T) {
	cases := map[string]map[string]string{
		"RING_TIMEOUT":                           {"RING_TIMEOUT": "2s"},
		"TRUST_PROXY":                            {"TRUST_PROXY": "maybe"},
		"FLEX_ORIGINS":                           {"FLEX_ORIGINS": "flex.twilio.com"},
		"TWILIO_API_BASE_URL":                    {"TWILIO_API_BASE_URL": "ftp://x"},
		"TWILIO_API_SECRET":                      {"TWILIO_ACCOUNT_SID": acct, "TWILIO_AUTH_TOKEN": "t", "TWILIO_API_KEY": "SK1", "TWILIO_FLEX_WORKSPACE_SID": ws, "PUBLIC_BASE_URL": "https://x"},
		"TWILIO_REGION":                          {"TWILIO_REGION": "IE1.evil.com/"},
		"TWILIO_EDGE":                            {"TWILIO_EDGE": "dub lin"},
		"TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID": {"TWILIO_ACCOUNT_SID": acct, "TWILIO_AUTH_TOKEN": "t", "TWILIO_FLEX_WORKSPACE_SID": ws, "PUBLIC_BASE_URL": "https://x", "TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID": "WW1"},
	}
	for name, env := range cases {
		if _, err := Load(envOf(env)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name it", name, err)
		}
	}
}

func TestDotEnvFallsBackBehindEnvironment(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(p, []byte("# comment\nexport ADDR=':9999'\nRING_TIMEOUT=\"40s\"\n\n"), 0o600)
	t.Setenv("RING_TIMEOUT", "50s")
	env, err := WithDotEnv(p)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := env("ADDR"); v != ":9999" {
		t.Errorf("ADDR from .env = %q", v)
	}
	if v, _ := env("RING_TIMEOUT"); v != "50s" {
		t.Errorf("environment should win over .env, got %q", v)
	}
	os.WriteFile(p, []byte("NOEQUALS\n"), 0o600)
	if _, err := WithDotEnv(p); err == nil || !strings.Contains(err.Error(), ":1") {
		t.Errorf("bad line error: %v", err)
	}
	if _, err := WithDotEnv(filepath.Join(t.TempDir(), "absent")); err != nil {
		t.Errorf("absent .env: %v", err)
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var b strings.Builder
	WriteHelp(&b)
	for _, s := range Settings {
		if !strings.Contains(b.String(), s.Name) {
			t.Errorf("help misses %s", s.Name)
		}
	}
}

func TestMetricsAndLoggingDefaults(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"TWILIO_ACCOUNT_SID": acct, "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FLEX_WORKSPACE_SID": ws, "PUBLIC_BASE_URL": "https://ic.example.com",
	}))
	if err != nil {
		t.Fatal(err)
	}
	// Metrics on loopback only, none on the public port; text at info.
	if c.Metrics.Addr != "127.0.0.1:9464" || c.Metrics.Token != "" || c.Logging.JSON || c.Logging.Level != slog.LevelInfo {
		t.Fatalf("defaults: metrics %+v, logging %+v", c.Metrics, c.Logging)
	}
}

func TestMetricsListenerOffAndLoggingSet(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"TWILIO_ACCOUNT_SID": acct, "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FLEX_WORKSPACE_SID": ws, "PUBLIC_BASE_URL": "https://ic.example.com",
		"METRICS_ADDR": "", "METRICS_TOKEN": "0123456789abcdef0123", "LOG_FORMAT": "json", "LOG_LEVEL": "debug",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Metrics.Addr != "" || c.Metrics.Token != "0123456789abcdef0123" || !c.Logging.JSON || c.Logging.Level != slog.LevelDebug {
		t.Fatalf("parsed: metrics %+v, logging %+v", c.Metrics, c.Logging)
	}
}

func TestBadMetricsAndLoggingValuesAreRefused(t *testing.T) {
	cases := map[string]map[string]string{
		"METRICS_ADDR":  {"METRICS_ADDR": "9464"},
		"METRICS_TOKEN": {"METRICS_TOKEN": "short"},
		"LOG_FORMAT":    {"LOG_FORMAT": "xml"},
		"LOG_LEVEL":     {"LOG_LEVEL": "verbose"},
	}
	cases["METRICS_ADDR must differ from ADDR"] = map[string]string{"ADDR": ":8080", "METRICS_ADDR": ":8080"}
	cases["METRICS_TOKEN "] = map[string]string{"METRICS_TOKEN": "has a space in it, long enough"}
	// Two ephemeral ports never collide.
	if _, err := Load(envOf(map[string]string{"ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"})); err != nil && strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Errorf("ephemeral ports: %v", err)
	}
	for name, env := range cases {
		if _, err := Load(envOf(env)); err == nil || !strings.Contains(err.Error(), strings.TrimSpace(name)) {
			t.Errorf("%s: error %v does not name it", name, err)
		}
	}
	if _, err := LoadLogging(envOf(map[string]string{"LOG_LEVEL": "loud"})); err == nil || !strings.Contains(err.Error(), "LOG_LEVEL") {
		t.Errorf("LoadLogging: error %v does not name LOG_LEVEL", err)
	}
}

func TestJSONLogLinesAtTheLevelSet(t *testing.T) {
	var b strings.Builder
	log := slog.New(Logging{JSON: true, Level: slog.LevelWarn}.Handler(&b))
	log.Info("quiet")
	log.Warn("loud", "k", "v")
	if got := b.String(); strings.Contains(got, "quiet") || !strings.HasPrefix(got, "{") || !strings.Contains(got, `"msg":"loud"`) {
		t.Fatalf("log output %q", got)
	}
}

func TestTheREADMEDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings {
		if !strings.Contains(string(readme), "| `"+s.Name+"`") && !strings.Contains(string(readme), "/ `"+s.Name+"` |") {
			t.Errorf("the README's configuration table has no row for %s", s.Name)
		}
	}
}
