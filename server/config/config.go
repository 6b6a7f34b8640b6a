// Package config reads the server's settings from the environment (and a .env
// file when present), checks them, and documents them for `serve --help`.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// Config is everything the server needs to run.
type Config struct {
	AccountSid   string
	AuthToken    string
	APIKey       string
	APISecret    string
	WorkspaceSid string
	// WorkflowSid is the "Internal Call" workflow; empty means discover it at start-up.
	WorkflowSid   string
	PublicBaseURL *url.URL
	FlexOrigins   []string
	Addr          string
	RingTimeout   time.Duration
	TrustProxy    bool
	// APIBaseURL, when set, receives all Twilio REST traffic instead of *.twilio.com.
	APIBaseURL *url.URL
	// Simulator is true when no Twilio credentials are configured: the server then
	// runs on the built-in Twilio simulator.
	Simulator bool
}

// Lookup returns an environment value and whether it is set.
type Lookup func(key string) (string, bool)

// Load reads and checks the settings. A missing required setting is an error
// naming the variable.
func Load(env Lookup) (*Config, error) {
	get := func(key string) string {
		if v, ok := env(key); ok {
			return strings.TrimSpace(v)
		}
		for _, s := range Settings {
			if s.Name == key {
				return s.Default
			}
		}
		return ""
	}
	c := &Config{
		AccountSid:   get("TWILIO_ACCOUNT_SID"),
		AuthToken:    get("TWILIO_AUTH_TOKEN"),
		APIKey:       get("TWILIO_API_KEY"),
		APISecret:    get("TWILIO_API_SECRET"),
		WorkspaceSid: get("TWILIO_FLEX_WORKSPACE_SID"),
		WorkflowSid:  get("TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID"),
		Addr:         get("ADDR"),
	}
	var errs []error
	c.Simulator = c.AccountSid == "" && c.AuthToken == "" && c.APIKey == "" && get("TWILIO_API_BASE_URL") == ""

	var err error
	if c.RingTimeout, err = time.ParseDuration(get("RING_TIMEOUT")); err != nil || c.RingTimeout < 5*time.Second || c.RingTimeout > 10*time.Minute {
		errs = append(errs, fmt.Errorf("RING_TIMEOUT must be a duration between 5s and 10m, e.g. 30s (got %q)", get("RING_TIMEOUT")))
	}
	if c.TrustProxy, err = strconv.ParseBool(get("TRUST_PROXY")); err != nil {
		errs = append(errs, fmt.Errorf("TRUST_PROXY must be true or false (got %q)", get("TRUST_PROXY")))
	}
	if c.PublicBaseURL, err = parseBaseURL("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL"), !c.Simulator); err != nil {
		errs = append(errs, err)
	}
	if c.APIBaseURL, err = parseBaseURL("TWILIO_API_BASE_URL", get("TWILIO_API_BASE_URL"), false); err != nil {
		errs = append(errs, err)
	}
	for _, o := range strings.Split(get("FLEX_ORIGINS"), ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o == "" {
			continue
		}
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			errs = append(errs, fmt.Errorf("FLEX_ORIGINS: %q is not an origin like https://flex.twilio.com", o))
			continue
		}
		c.FlexOrigins = append(c.FlexOrigins, o)
	}
	if c.Addr == "" {
		errs = append(errs, errors.New("ADDR must not be empty"))
	}
	if !c.Simulator {
		errs = append(errs, c.checkTwilio()...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// checkTwilio checks the settings needed to talk to a real (or contract-test) Twilio.
func (c *Config) checkTwilio() []error {
	var errs []error
	if err := call.CheckSID("TWILIO_ACCOUNT_SID", call.PrefixAccount, c.AccountSid); err != nil {
		errs = append(errs, err)
	}
	// The auth token signs every webhook, so it is required even with an API key.
	if c.AuthToken == "" {
		errs = append(errs, errors.New("TWILIO_AUTH_TOKEN is missing (it validates Twilio's webhook signatures, even when TWILIO_API_KEY is used for REST)"))
	}
	if (c.APIKey == "") != (c.APISecret == "") {
		errs = append(errs, errors.New("TWILIO_API_KEY and TWILIO_API_SECRET must be set together"))
	}
	if err := call.CheckSID("TWILIO_FLEX_WORKSPACE_SID", call.PrefixWorkspace, c.WorkspaceSid); err != nil {
		errs = append(errs, err)
	}
	if c.WorkflowSid != "" && !call.ValidSID(call.PrefixWorkflow, c.WorkflowSid) {
		errs = append(errs, fmt.Errorf("TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID must be WW followed by 32 hex digits"))
	}
	return errs
}

func parseBaseURL(name, v string, required bool) (*url.URL, error) {
	if v == "" {
		if required {
			return nil, fmt.Errorf("%s is missing: the public https URL Twilio and Flex reach this server at", name)
		}
		return nil, nil
	}
	u, err := url.Parse(strings.TrimRight(v, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s must be an absolute http(s) URL without query (got %q)", name, v)
	}
	return u, nil
}

// PublicURL joins the public base URL and an absolute path.
func (c *Config) PublicURL(path string) string { return call.JoinURL(c.PublicBaseURL.String(), path) }
