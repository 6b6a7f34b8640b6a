package twiliosim

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// Development credentials of the simulated account. They are fixed so that a
// product started with them talks to the simulator without configuration, and
// alphanumeric because twilio-go refuses anything else.
const (
	DefaultAccountSid = "AC00000000000000000000000000000000"
	DefaultAuthToken  = "devauthtoken00000000000000000000"
)

// Options configure a Sim. The zero value is a working simulator.
type Options struct {
	// AccountSid and AuthToken are the simulated account's credentials (the
	// REST APIs' Basic auth, and the key signing callbacks). Defaults above.
	AccountSid, AuthToken string
	// APIKeys are the account's API keys, SID (SK…) to secret: the REST APIs
	// also admit them as Basic auth, as Twilio does (none by default).
	APIKeys map[string]string
	// Contract tunes the OpenAPI check of every REST request (zero: requests
	// are validated, unknown parameters ignored as Twilio ignores them).
	// Tests set RejectUnknown and Responses to be stricter.
	Contract contract.Options
	// Faults injects REST and callback failures (zero: none). Sim.Faults can
	// change them while running.
	Faults faults.Config
	// MediaSpeed scales simulated media time (Say, Play, Pause); tests use e.g. 50.
	MediaSpeed float64
	// ReservationTimeout is TaskRouter's default reservation timeout (default 120s).
	ReservationTimeout time.Duration
	// AnswerDelay is how long an agent's phone rings before it picks up (default 300ms).
	AnswerDelay time.Duration
	// PhoneAnswerDelay is how long an external number (E.164) rings before
	// it answers (default 1s); see voice.Phones for the numbers that do not.
	PhoneAnswerDelay time.Duration
	// HTTPClient fetches TwiML and delivers callbacks to the product.
	HTTPClient *http.Client
	Logger     *slog.Logger
	// ProductBaseURL is the product server's public URL: the demo page points
	// reservation.call and the call buttons at it.
	ProductBaseURL string
	// DescribeTask reads, for the page, what a task's attributes say about the
	// call it belongs to. The simulator knows nothing of the product running
	// on it; the program embedding both provides this (nil: to and from only).
	DescribeTask func(attributes string) TaskSummary
	// OnRequest, when set, is told of every request the simulator answered
	// (REST APIs, agents' API, page): its request log. It runs on the
	// request's goroutine and must not block.
	OnRequest func(RequestRecord)
}

// TaskSummary is what the page shows of a task's attributes.
type TaskSummary struct {
	To, From   string
	Role       string
	CallStatus string
	Reason     string
}

// summarize is the default DescribeTask: the to and from every voice task carries.
func summarize(attributes string) TaskSummary {
	var a struct {
		To   string `json:"to"`
		From string `json:"from"`
	}
	_ = json.Unmarshal([]byte(attributes), &a)
	return TaskSummary{To: a.To, From: a.From}
}

// Credentials are what the product needs to reach the simulator with twilio-go.
type Credentials struct {
	AccountSid, AuthToken string
	// APIKeys are the account's API keys, SID (SK…) to secret: the REST APIs
	// also admit them as Basic auth, as Twilio does (none by default).
	APIKeys map[string]string
	// Contract tunes the OpenAPI check of every REST request (zero: requests
	// are validated, unknown parameters ignored as Twilio ignores them).
	// Tests set RejectUnknown and Responses to be stricter.
	Contract contract.Options
}

func (o *Options) defaults() {
	if o.AccountSid == "" {
		o.AccountSid = DefaultAccountSid
	}
	if o.AuthToken == "" {
		o.AuthToken = DefaultAuthToken
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.DescribeTask == nil {
		o.DescribeTask = summarize
	}
	if o.PhoneAnswerDelay == 0 {
		o.PhoneAnswerDelay = time.Second
	}
}
