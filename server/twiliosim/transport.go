package twiliosim

import (
	"net/http"
	"strings"
)

// Transport sends requests for Twilio's API hosts to a simulator served at
// base (e.g. http://localhost:8080/sim): https://taskrouter.twilio.com/v1/…
// goes to base/taskrouter/v1/…, and likewise api, flex-api and iam. Other
// hosts pass through unchanged. next nil means http.DefaultTransport.
//
// twilio-go has no base-URL option; an http.Client with this transport in its
// client.Client is how it reaches the simulator.
func Transport(base string, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{base: strings.TrimRight(base, "/"), next: next}
}

type transport struct {
	base string
	next http.RoundTripper
}

// products maps Twilio hosts to the simulator's path prefixes.
var products = map[string]string{
	"taskrouter.twilio.com": "/taskrouter",
	"api.twilio.com":        "/api",
	"flex-api.twilio.com":   "/flex-api",
	"iam.twilio.com":        "/iam",
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	prefix, ok := products[r.URL.Host]
	if !ok {
		return t.next.RoundTrip(r)
	}
	u, err := r.URL.Parse(t.base + prefix + r.URL.EscapedPath())
	if err != nil {
		return nil, err
	}
	u.RawQuery = r.URL.RawQuery
	r2 := r.Clone(r.Context())
	r2.URL, r2.Host = u, u.Host
	return t.next.RoundTrip(r2)
}
