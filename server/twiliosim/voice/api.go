// Package voice simulates Twilio Voice (API 2010) as Flex Internal Call meets
// it: outbound-api calls to client:/sip: addresses, TwiML fetched and executed
// (Say, Play, Pause, Redirect, Hangup, Reject, Gather without input,
// Dial><Conference), conferences with wait and hold music, signed status
// callbacks, and the REST resources Calls, Conferences and Participants
// (Create Participant dials a number straight into a conference; Phones
// simulates the phones behind external numbers).
//
// Twilio's rules it enforces, because the product must live with them:
//   - TwiML of a waitUrl, holdUrl or announceUrl may only Say, Play, Pause and
//     Redirect; anything else is error 13238 and the music stops (the call
//     stays in the conference).
//   - A conference starts when a participant with startConferenceOnEnter
//     joins (participant-join, then conference-start); it ends when a
//     participant with endConferenceOnExit leaves, or the last one does
//     (participant-leave of each, then conference-end). Calls that were in it
//     go on after their <Dial> (or with Dial's action).
//   - A conference's statusCallback, statusCallbackMethod and
//     statusCallbackEvent are those of the first participant that joined;
//     only the listed events are posted.
//   - A call update (Twiml, Url) takes the call out of its conference at once
//     (participant_updated_via_api) and interrupts what it was running.
//
// All state changes happen under the engine's lock and are immediate (a REST
// update is visible to the next REST read); each call's TwiML runs in its own
// goroutine that only does media and HTTP, so the product's server may call
// this REST API while it answers a TwiML or callback request. Media time is
// scaled by Config.MediaSpeed; ring timeouts and answer delays are wall-clock.
package voice

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Config configures an Engine.
type Config struct {
	AccountSid, AuthToken string
	// HTTPClient makes TwiML fetches, media GETs and callbacks (nil: a default
	// client with timeouts).
	HTTPClient *http.Client
	// MediaSpeed scales media time: 1 = real time; tests use e.g. 50 so
	// <Play>/<Say>/<Pause> pass quickly (0 → 1).
	MediaSpeed float64
	// Endpoints decides who answers a dialed address (nil: everyone at once).
	Endpoints Endpoints
	// Callbacks returns the ordered asynchronous delivery of one stream (a
	// conference SID or a call SID); fault injection lives behind it. nil: the
	// engine's own in-order delivery.
	Callbacks func(stream string) Dispatcher
	// WaitingJoin says when a participant who joins before the conference
	// starts is reported: "" at once, "at-start" when it starts, "never"
	// (nil: at once). Read at each join, so it may change while running.
	WaitingJoin func() string
	// Withheld reports conference events whose callbacks are never
	// delivered (nil: none). Read at each event.
	Withheld func(event string) bool
	Logger   *slog.Logger
}

// Dispatcher delivers the callbacks of one stream in order. Send enqueues (it
// is called with the engine's lock held: it must not block or call the
// engine); Wait blocks until everything sent so far is delivered; Close is
// called after the stream's last Send (what was sent is still delivered).
type Dispatcher interface {
	Send(func())
	Wait(ctx context.Context) error
	Close()
}

// Endpoints decides whether and when a dialed address answers. It is asked for
// every dialed address (client:, sip: or a number).
//   - answer=true: answers after the delay (no-answer if the delay reaches the
//     ring timeout).
//   - answer=false, after=0: rings until the ring timeout → no-answer.
//   - answer=false, after>0: declines after the delay → busy.
type Endpoints interface {
	Answer(to string) (answer bool, after time.Duration)
}

// EndpointsFunc adapts a function to Endpoints.
type EndpointsFunc func(to string) (bool, time.Duration)

// Answer implements Endpoints.
func (f EndpointsFunc) Answer(to string) (bool, time.Duration) { return f(to) }

// DialRequest is an outbound-api call.
type DialRequest struct {
	From, To, URL, Method string // Method defaults to POST
	// Twiml, when set, is run instead of fetching URL (as the REST Twiml parameter).
	Twiml string
	// Timeout is the ring timeout (default 60s); unanswered → no-answer.
	Timeout time.Duration
	// StatusCallback is an optional call status callback URL (signed, POST
	// unless StatusCallbackMethod says GET).
	StatusCallback       string
	StatusCallbackMethod string
	// StatusCallbackEvents are among initiated, ringing, answered, completed
	// (default: completed only, as Twilio).
	StatusCallbackEvents []string
	// OnAnswered is called once when the call is answered.
	OnAnswered func(callSid string)
	// OnEnded is called once with the final status: completed | busy |
	// no-answer | failed | canceled.
	OnEnded func(callSid, status string)

	// join, for a Create Participant call, is the conference it joins on
	// answer instead of running TwiML.
	join *joinTarget
}

// Call is a snapshot of a call, with Twilio's JSON names. Fields Twilio
// answers null while empty are left out then (twilio-go reads both as nil).
type Call struct {
	Sid           string  `json:"sid"`
	AccountSid    string  `json:"account_sid"`
	ParentCallSid string  `json:"parent_call_sid,omitempty"`
	From          string  `json:"from"`
	FromFormatted string  `json:"from_formatted"`
	To            string  `json:"to"`
	ToFormatted   string  `json:"to_formatted"`
	Status        string  `json:"status"` // queued ringing in-progress completed busy no-answer failed canceled
	Direction     string  `json:"direction"`
	ApiVersion    string  `json:"api_version"`
	DateCreated   string  `json:"date_created"`
	DateUpdated   string  `json:"date_updated"`
	StartTime     string  `json:"start_time,omitempty"`
	EndTime       string  `json:"end_time,omitempty"`
	Duration      string  `json:"duration,omitempty"`
	AnsweredBy    *string `json:"answered_by"`
	Price         *string `json:"price"`
	PriceUnit     string  `json:"price_unit"`
	QueueTime     string  `json:"queue_time"`
	Uri           string  `json:"uri"`

	SubresourceUris map[string]string `json:"subresource_uris"`
}

// Conference is a snapshot of a conference, with Twilio's JSON names.
type Conference struct {
	Sid                     string `json:"sid"`
	AccountSid              string `json:"account_sid"`
	FriendlyName            string `json:"friendly_name"`
	Status                  string `json:"status"` // init in-progress completed
	Region                  string `json:"region"`
	ApiVersion              string `json:"api_version"`
	DateCreated             string `json:"date_created"`
	DateUpdated             string `json:"date_updated"`
	ReasonConferenceEnded   string `json:"reason_conference_ended,omitempty"`
	CallSidEndingConference string `json:"call_sid_ending_conference,omitempty"`
	Uri                     string `json:"uri"`

	SubresourceUris map[string]string `json:"subresource_uris"`
	// Participants are the current participants (snapshots only; the REST
	// resource leaves it out).
	Participants []Participant `json:"participants,omitempty"`
}

// Participant is a snapshot of a conference participant, with Twilio's JSON names.
type Participant struct {
	AccountSid             string `json:"account_sid"`
	CallSid                string `json:"call_sid"`
	ConferenceSid          string `json:"conference_sid"`
	Label                  string `json:"label,omitempty"`
	CallSidToCoach         string `json:"call_sid_to_coach,omitempty"`
	Coaching               bool   `json:"coaching"`
	EndConferenceOnExit    bool   `json:"end_conference_on_exit"`
	StartConferenceOnEnter bool   `json:"start_conference_on_enter"`
	Hold                   bool   `json:"hold"`
	Muted                  bool   `json:"muted"`
	Status                 string `json:"status"` // connected (complete once left)
	QueueTime              string `json:"queue_time"`
	DateCreated            string `json:"date_created"`
	DateUpdated            string `json:"date_updated"`
	Uri                    string `json:"uri"`
}

// Event types delivered to subscribers.
const (
	EventCallStatus = "call-status" // Call.Status changed
	EventMedia      = "media"       // the call hears Media (say/play/pause/silence)
	// Conference and participant events use Twilio's StatusCallbackEvent names:
	// conference-start, conference-end, participant-join, participant-leave,
	// participant-hold, participant-unhold, participant-mute, participant-unmute.
)

// Event is a change seen by the simulated agents' pages and the demo panel.
// Subscribers get events in order, asynchronously, and every event whatever a
// conference's statusCallbackEvent list says.
type Event struct {
	Type        string
	Time        time.Time
	Call        *Call        // call-status, media, participant events
	Conference  *Conference  // conference and participant events
	Participant *Participant // participant events
	Media       string       // media: e.g. `say: Please wait`, `play: https://…`, `pause`, `hold`
	Reason      string       // participant-leave: ReasonParticipantLeft; conference-end: ReasonConferenceEnded
}

// Exported methods (see engine.go and the files they point to):
//
//	New(Config) *Engine
//	(*Engine).Routes(chi.Router)            // REST under /2010-04-01/Accounts/{AccountSid}/…
//	(*Engine).Dial(DialRequest) (string, error)
//	(*Engine).Hangup(callSid) error         // the far end hangs up
//	(*Engine).Calls() []Call, Call(sid) (Call, bool)
//	(*Engine).Conferences() []Conference, Conference(sid) (Conference, bool)
//	(*Engine).Subscribe(func(Event)) (cancel func())
//	(*Engine).Errors() []error              // TwiML errors (*rest.Error with Twilio's codes)
//	(*Engine).Wait(ctx) error               // queued callbacks and events delivered
//	(*Engine).Close()                       // ends every call, waits for goroutines
