package config

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Setting documents one environment variable.
type Setting struct {
	Name    string
	Default string
	Help    string
}

// Settings lists every variable the server reads, in the order `serve --help`
// and the README show them.
var Settings = []Setting{
	{"TWILIO_ACCOUNT_SID", "", "Twilio account SID (AC…)."},
	{"TWILIO_AUTH_TOKEN", "", "Auth token: validates webhook signatures, and authenticates REST calls unless an API key is set."},
	{"TWILIO_API_KEY", "", "Optional API key SID (SK…) for REST calls."},
	{"TWILIO_API_SECRET", "", "Secret of TWILIO_API_KEY."},
	{"TWILIO_FLEX_WORKSPACE_SID", "", "The Flex TaskRouter workspace (WS…)."},
	{"TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID", "", "The \"Internal Call\" workflow (WW…). Unset: the one workflow whose name begins with \"Internal Call\"."},
	{"PUBLIC_BASE_URL", "", "The https URL Twilio and Flex reach this server at."},
	{"FLEX_ORIGINS", "https://flex.twilio.com", "Comma-separated origins allowed to load the plugin and frame the dialpad."},
	{"ADDR", ":8080", "Listen address."},
	{"RING_TIMEOUT", "30s", "How long the callee is offered before the caller hears that nobody answered."},
	{"EXTERNAL_NUMBER_PATTERN", "", "Regular expression of the numbers agents may add to a call (the whole E.164 number must match), e.g. \\+1555\\d{7}. Unset: none."},
	{"TRUST_PROXY", "false", "Rebuild webhook URLs from X-Forwarded-Proto/Host (only behind a proxy you control)."},
	{"TWILIO_REGION", "", "Twilio region of the account, e.g. ie1 or au1 (every REST host, IAM included, becomes <product>.<edge>.<region>.twilio.com). Unset: US1."},
	{"TWILIO_EDGE", "", "Twilio edge location, e.g. dublin or sydney (with TWILIO_REGION)."},
	{"SIGNING_KEY", "", "Keys sealing the call state the server writes into tasks, comma-separated: the first seals, all verify (rotate by prepending). Unset: derived from TWILIO_AUTH_TOKEN."},
	{"METRICS_ADDR", "127.0.0.1:9464", "Listener serving Prometheus metrics at /metrics, unauthenticated: keep it private. Empty: no metrics listener."},
	{"METRICS_TOKEN", "", "Also serve /metrics on the public port (ADDR) to requests with Authorization: Bearer <token>; 16+ characters. Unset: the public port has no /metrics."},
	{"LOG_FORMAT", "text", "Log lines as text (key=value) or json."},
	{"LOG_LEVEL", "info", "Least severe level logged: debug, info, warn or error. Successful Twilio calls are logged at debug."},
	{"TWILIO_API_BASE_URL", "", "Send all Twilio REST traffic here instead of *.twilio.com, e.g. http://127.0.0.1:9000 → /taskrouter/v1/…"},
}

// WriteHelp prints the server's settings with their defaults.
func WriteHelp(w io.Writer) { WriteSettings(w, Settings) }

// WriteSettings prints a table of settings with their defaults.
func WriteSettings(w io.Writer, settings []Setting) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tDEFAULT\tMEANING")
	for _, s := range settings {
		d := s.Default
		if d == "" {
			d = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, d, s.Help)
	}
	tw.Flush()
}
