// Package admin is the administrator's side of Flex Internal Call: doctor
// checks a Twilio account and this server's settings and names the fix of
// each failure; setup creates or completes what Internal Call needs in the
// account; the plugin commands publish, show and roll back the Flex plugin.
// They talk to Twilio through the small interfaces of twilio.go.
package admin

import (
	"net/url"

	"github.com/flex-internal-call/internal-call/call"
)

// HostedFlexOrigin is where agents open hosted Flex.
const HostedFlexOrigin = "https://flex.twilio.com"

// Settings are the server's settings the commands check and act on.
type Settings struct {
	AccountSid   string
	WorkspaceSid string
	// WorkflowSid is TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID ("" when unset).
	WorkflowSid   string
	PublicBaseURL *url.URL
	FlexOrigins   []string
}

// PluginURL is where Flex loads the plugin from this server.
func (s Settings) PluginURL() string { return call.JoinURL(s.PublicBaseURL.String(), call.PathPlugin) }

// HealthURL is this server's liveness endpoint on its public URL.
func (s Settings) HealthURL() string { return call.JoinURL(s.PublicBaseURL.String(), "/healthz") }
