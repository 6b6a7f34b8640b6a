// Package twilioapi is the server's edge to Twilio: twilio-go configured with
// deadlines from the caller's context, retries, logging and an optional base
// URL, plus the few calls twilio-go does not offer (Flex token validation).
// Its TaskRouter and Client types are what the call flow's interfaces ask for;
// every error it returns carries a call.Code.
package twilioapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/backoff"
)

// Options configure a Client.
type Options struct {
	AccountSid string
	// Username/Password authenticate REST calls: the account SID and auth token,
	// or an API key and secret.
	Username, Password string
	// BaseURL, when set, replaces https://<product>[.<edge>.<region>].twilio.com
	// with <BaseURL>/<product>.
	BaseURL *url.URL
	// Region and Edge select Twilio's regional hosts for every product, IAM
	// included (https://<product>.<edge>.<region>.twilio.com); empty: US1.
	Region, Edge string
	Logger       *slog.Logger
	// Timeout bounds one Twilio call, retries included, when the caller's
	// context has no earlier deadline (default 10s).
	Timeout time.Duration
	// Attempts is how many times a retryable call is tried (default 4).
	Attempts int
	// Transport underneath (default NewPooledTransport()); tests may inject one.
	Transport http.RoundTripper
	// Meter is told of every call and try (default: nothing is).
	Meter Meter
}

// Client is the server's Twilio client. Every method takes the context of the
// request it serves: its deadline bounds the call and all its retries.
type Client struct {
	creds      *client.Credentials
	transport  http.RoundTripper // retries, rebasing, the network
	timeout    time.Duration
	accountSid string
	region     string
	edge       string
}

// New builds a Client.
func New(o Options) (*Client, error) {
	if o.AccountSid == "" || o.Username == "" || o.Password == "" {
		return nil, errors.New("twilioapi: account SID and credentials are required")
	}
	if err := checkSIDs("twilioapi", call.PrefixAccount, o.AccountSid); err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Attempts == 0 {
		o.Attempts = 4
	}
	if o.Meter == nil {
		o.Meter = noMeter{}
	}
	rt := o.Transport
	if rt == nil {
		rt = NewPooledTransport()
	}
	if o.BaseURL != nil {
		rt = &rebaseTransport{base: o.BaseURL, next: rt}
	}
	rt = &retryTransport{
		next:       rt,
		attempts:   o.Attempts,
		policy:     backoff.Policy{Base: 200 * time.Millisecond, Max: 3 * time.Second},
		perAttempt: 8 * time.Second,
		log:        o.Logger.With("component", "twilio"),
		meter:      o.Meter,
	}
	return &Client{
		creds:      client.NewCredentials(o.Username, o.Password),
		transport:  rt,
		timeout:    o.Timeout,
		accountSid: o.AccountSid,
		region:     o.Region,
		edge:       o.Edge,
	}, nil
}

// AccountSid is the account the client acts on.
func (c *Client) AccountSid() string { return c.accountSid }

// rest returns a twilio-go client whose requests run under ctx. twilio-go
// v1 builds its requests without a context; the transport puts ctx back.
func (c *Client) rest(ctx context.Context) *client.Client {
	b := &client.Client{
		Credentials: c.creds,
		HTTPClient: &http.Client{
			Transport: &contextTransport{ctx: ctx, timeout: c.timeout, next: c.transport},
			// Twilio answers redirects only for media; twilio-go expects the last response.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	b.SetAccountSid(c.accountSid)
	return b
}

// handler routes twilio-go's requests to the configured region and edge.
// (twilio-go would read TWILIO_REGION and TWILIO_EDGE from the environment
// itself; the server's configuration decides instead.)
func (c *Client) handler(ctx context.Context) *client.RequestHandler {
	h := client.NewRequestHandler(c.rest(ctx))
	h.Region, h.Edge = c.region, c.edge
	return h
}

func (c *Client) taskrouter(ctx context.Context) *taskrouter.ApiService {
	return taskrouter.NewApiService(c.handler(ctx))
}

func (c *Client) voice(ctx context.Context) *api.ApiService {
	return api.NewApiService(c.handler(ctx))
}

// Twilio error codes the server tells apart.
const (
	codeCallNotInProgress = 21220
)

// classify turns an error of twilio-go or the network into a call.Error
// whose Code says what the flow can do about it.
func classify(err error, what string) error {
	if err == nil {
		return nil
	}
	var ce *call.Error
	if errors.As(err, &ce) {
		return err
	}
	var re *client.TwilioRestError
	if !errors.As(err, &re) {
		return &call.Error{Code: call.Unavailable, Msg: fmt.Sprintf("%s: Twilio did not answer: %v", what, err), Err: err}
	}
	code := call.Refused
	switch {
	case re.Status == http.StatusNotFound, re.Code == codeCallNotInProgress:
		code = call.NotFound
	case re.Status == http.StatusPreconditionFailed:
		code = call.Stale
	case re.Status == http.StatusTooManyRequests, re.Status >= 500:
		code = call.Unavailable
	}
	return &call.Error{Code: code, Msg: fmt.Sprintf("%s: Twilio answered %d (%d %s)", what, re.Status, re.Code, re.Message), Err: err}
}

// StatusOf returns the HTTP status Twilio answered with (0 when err is not a
// Twilio error).
func StatusOf(err error) int {
	var re *client.TwilioRestError
	if errors.As(err, &re) {
		return re.Status
	}
	return 0
}

// checkSIDs refuses, before anything is sent, a SID that is not a Twilio SID:
// SIDs go into REST paths, and one read from task attributes could otherwise
// be "../Conferences/CF…".
func checkSIDs(what string, sids ...string) error {
	for i := 0; i+1 < len(sids); i += 2 {
		if !call.ValidSID(sids[i], sids[i+1]) {
			return call.Errorf(call.Invalid, "%s: %q is not a %s… SID", what, sids[i+1], sids[i])
		}
	}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
