package twilioapi

import (
	"net/http"
	"strings"
	"time"
)

// Meter is told of every REST call the client makes (the server's metrics
// implement it). product is the Twilio product the call went to: the host's
// first label (taskrouter, api, iam, serverless), flex for flex-api.
type Meter interface {
	// TwilioAttempt is one HTTP exchange; status 0 means no answer came.
	TwilioAttempt(product string, status, attempt int)
	// TwilioRetry is a call tried again after reason: 429, 5xx or error.
	TwilioRetry(product, reason string)
	// TwilioCall is a whole call, its retries and backoff included.
	TwilioCall(product string, d time.Duration)
}

type noMeter struct{}

func (noMeter) TwilioAttempt(string, int, int)   {}
func (noMeter) TwilioRetry(string, string)       {}
func (noMeter) TwilioCall(string, time.Duration) {}

// productOf names the Twilio product a request goes to.
func productOf(req *http.Request) string {
	host, ok := strings.CutSuffix(req.URL.Hostname(), ".twilio.com")
	if !ok || host == "" {
		return "other"
	}
	label, _, _ := strings.Cut(host, ".")
	if label == "flex-api" {
		return "flex"
	}
	return label
}

// retryReason names what a try got that is retried.
func retryReason(resp *http.Response, err error) string {
	switch {
	case err != nil:
		return "error"
	case resp.StatusCode == http.StatusTooManyRequests:
		return "429"
	}
	return "5xx"
}

// pathTemplate is a REST path with every SID replaced by its prefix in
// braces (/v1/Workspaces/{WS}/Tasks/{WT}): what the call does, not which
// resources, for logs that group.
func pathTemplate(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		sid, ext := strings.CutSuffix(s, ".json")
		if looksLikeSID(sid) {
			segs[i] = "{" + sid[:2] + "}"
			if ext {
				segs[i] += ".json"
			}
		}
	}
	return strings.Join(segs, "/")
}
