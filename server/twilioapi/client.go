// Package twilioapi is the server's edge to Twilio: twilio-go configured with
// timeouts, retries, logging and an optional base URL, plus the few calls
// twilio-go does not offer (task ETags, Flex token validation).
package twilioapi

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
)

// Options configure a Client.
type Options struct {
	AccountSid string
	// Username/Password authenticate REST calls: the account SID and auth token,
	// or an API key and secret.
	Username, Password string
	// BaseURL, when set, replaces https://<product>.twilio.com with <BaseURL>/<product>.
	BaseURL *url.URL
	Logger  *slog.Logger
	// Timeout bounds one Twilio call including its retries (default 20s).
	Timeout time.Duration
	// Attempts is how many times a retryable call is tried (default 4).
	Attempts int
	// Transport underneath (default http.DefaultTransport); tests may inject one.
	Transport http.RoundTripper
}

// Client is the server's Twilio client.
type Client struct {
	Rest       *twilio.RestClient
	base       *client.Client
	accountSid string
}

// New builds a Client.
func New(o Options) (*Client, error) {
	if o.AccountSid == "" || o.Username == "" || o.Password == "" {
		return nil, errors.New("twilioapi: account SID and credentials are required")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Timeout == 0 {
		o.Timeout = 20 * time.Second
	}
	if o.Attempts == 0 {
		o.Attempts = 4
	}
	rt := o.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if o.BaseURL != nil {
		rt = &rebaseTransport{base: o.BaseURL, next: rt}
	}
	rt = &retryTransport{
		next:       rt,
		attempts:   o.Attempts,
		baseDelay:  200 * time.Millisecond,
		maxDelay:   3 * time.Second,
		perAttempt: 8 * time.Second,
		log:        o.Logger.With("component", "twilio"),
	}
	base := &client.Client{
		Credentials: client.NewCredentials(o.Username, o.Password),
		HTTPClient: &http.Client{
			Transport: rt,
			Timeout:   o.Timeout,
			// Twilio answers redirects only for media; twilio-go expects the last response.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	base.SetAccountSid(o.AccountSid)
	rest := twilio.NewRestClientWithParams(twilio.ClientParams{
		Username:   o.Username,
		Password:   o.Password,
		AccountSid: o.AccountSid,
		Client:     base,
	})
	return &Client{Rest: rest, base: base, accountSid: o.AccountSid}, nil
}

// AccountSid is the account the client acts on.
func (c *Client) AccountSid() string { return c.accountSid }

// StatusOf returns the HTTP status of a Twilio error (0 when err is not one).
func StatusOf(err error) int {
	var re *client.TwilioRestError
	if errors.As(err, &re) {
		return re.Status
	}
	return 0
}

// CodeOf returns Twilio's error code of err (0 when err is not a Twilio error).
func CodeOf(err error) int {
	var re *client.TwilioRestError
	if errors.As(err, &re) {
		return re.Code
	}
	return 0
}
