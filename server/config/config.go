// Package config reads the server's settings from the environment (and a .env
// file when present), checks them, and documents them for `serve --help`.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
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
	// ExternalNumbers are the numbers agents may add to a call, matched
	// whole (EXTERNAL_NUMBER_PATTERN); nil: none.
	ExternalNumbers *regexp.Regexp
	TrustProxy      bool
	// APIBaseURL, when set, receives all Twilio REST traffic instead of *.twilio.com.
	APIBaseURL *url.URL
	// Region and Edge select Twilio's regional hosts (TWILIO_REGION, TWILIO_EDGE).
	Region, Edge string
	// SigningKeys seal the call state the server writes into tasks; the first
	// seals, all verify. Empty: a key derived from the auth token.
	SigningKeys []string
	// Logging is LOG_FORMAT and LOG_LEVEL.
	Logging Logging
	// Metrics is METRICS_ADDR and METRICS_TOKEN.
	Metrics Metrics
}

// Lookup returns an environment value and whether it is set.
type Lookup func(key string) (string, bool)

// Getter reads settings from env, trimmed, with the defaults documented in settings.
func Getter(env Lookup, settings []Setting) func(key string) string {
	return func(key string) string {
		if v, ok := env(key); ok {
			return strings.TrimSpace(v)
		}
		for _, s := range settings {
			if s.Name == key {
				return s.Default
			}
		}
		return ""
	}
}

// Load reads and checks the settings. A missing required setting is an error
// naming the variable: the server never starts half-configured (the demo on
// the simulator is a separate program, internal-call-demo).
func Load(env Lookup) (*Config, error) {
	get := Getter(env, Settings)
	c := &Config{
		AccountSid:   get("TWILIO_ACCOUNT_SID"),
		AuthToken:    get("TWILIO_AUTH_TOKEN"),
		APIKey:       get("TWILIO_API_KEY"),
		APISecret:    get("TWILIO_API_SECRET"),
		WorkspaceSid: get("TWILIO_FLEX_WORKSPACE_SID"),
		WorkflowSid:  get("TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID"),
		Addr:         get("ADDR"),
		Region:       get("TWILIO_REGION"),
		Edge:         get("TWILIO_EDGE"),
	}
	var errs []error
	var err error
	if c.RingTimeout, err = ParseRingTimeout(get("RING_TIMEOUT")); err != nil {
		errs = append(errs, err)
	}
	if c.ExternalNumbers, err = ParseNumberPattern(get("EXTERNAL_NUMBER_PATTERN")); err != nil {
		errs = append(errs, err)
	}
	if c.TrustProxy, err = strconv.ParseBool(get("TRUST_PROXY")); err != nil {
		errs = append(errs, fmt.Errorf("TRUST_PROXY must be true or false (got %q)", get("TRUST_PROXY")))
	}
	if c.PublicBaseURL, err = ParseBaseURL("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL"), true); err != nil {
		errs = append(errs, err)
	}
	if c.APIBaseURL, err = ParseBaseURL("TWILIO_API_BASE_URL", get("TWILIO_API_BASE_URL"), false); err != nil {
		errs = append(errs, err)
	}
	if c.FlexOrigins, err = ParseOrigins(get("FLEX_ORIGINS")); err != nil {
		errs = append(errs, err)
	}
	for _, v := range []struct{ name, value string }{{"TWILIO_REGION", c.Region}, {"TWILIO_EDGE", c.Edge}} {
		if !hostLabel.MatchString(v.value) {
			errs = append(errs, fmt.Errorf("%s must be a Twilio region or edge name such as ie1 or dublin (got %q)", v.name, v.value))
		}
	}
	for _, k := range strings.Split(get("SIGNING_KEY"), ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if len(k) < 32 {
			errs = append(errs, errors.New("SIGNING_KEY: each key must be at least 32 characters (e.g. openssl rand -hex 32)"))
			break
		}
		c.SigningKeys = append(c.SigningKeys, k)
	}
	if c.Addr == "" {
		errs = append(errs, errors.New("ADDR must not be empty"))
	}
	var more []error
	c.Logging, more = loadLogging(get)
	errs = append(errs, more...)
	c.Metrics, more = loadMetrics(get, c.Addr)
	errs = append(errs, more...)
	errs = append(errs, c.checkTwilio()...)
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

// ParseNumberPattern reads EXTERNAL_NUMBER_PATTERN: a regular expression
// a whole number must match (anchored here); empty: nil, no numbers.
func ParseNumberPattern(v string) (*regexp.Regexp, error) {
	if v == "" {
		return nil, nil
	}
	re, err := regexp.Compile(`^(?:` + v + `)$`)
	if err != nil {
		return nil, fmt.Errorf("EXTERNAL_NUMBER_PATTERN must be a regular expression such as \\+1555\\d{7} (%v)", err)
	}
	return re, nil
}

// ParseRingTimeout reads RING_TIMEOUT: a duration between 5s and 10m.
func ParseRingTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < 5*time.Second || d > 10*time.Minute {
		return 0, fmt.Errorf("RING_TIMEOUT must be a duration between 5s and 10m, e.g. 30s (got %q)", v)
	}
	return d, nil
}

// ParseOrigins reads FLEX_ORIGINS: comma-separated origins.
func ParseOrigins(v string) ([]string, error) {
	var out []string
	var errs []error
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o == "" {
			continue
		}
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			errs = append(errs, fmt.Errorf("FLEX_ORIGINS: %q is not an origin like https://flex.twilio.com", o))
			continue
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

// ParseBaseURL reads an absolute http(s) URL setting; empty is an error when required.
func ParseBaseURL(name, v string, required bool) (*url.URL, error) {
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

// hostLabel is what a region or edge may be: one DNS label, or nothing.
var hostLabel = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?)?$`)

// SealSecrets are the secrets sealing the call state: SIGNING_KEY, or the auth token.
func (c *Config) SealSecrets() []string {
	if len(c.SigningKeys) > 0 {
		return c.SigningKeys
	}
	return []string{c.AuthToken}
}

// PublicURL joins the public base URL and an absolute path.
func (c *Config) PublicURL(path string) string { return call.JoinURL(c.PublicBaseURL.String(), path) }
