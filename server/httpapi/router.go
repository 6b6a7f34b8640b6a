// Package httpapi is the server's HTTP surface: the plugin and assets Flex
// loads, the TwiML and callbacks Twilio calls, and the API agents' browsers
// call. Handlers parse and check input, then hand over to callflow.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"github.com/twilio/twilio-go/client"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/tone"
)

// CallFlow is what the handlers hand over to: the call logic (callflow.Flow).
type CallFlow interface {
	CallerTwiML(ctx context.Context, r callflow.LegRequest) (string, error)
	CalleeTwiML(ctx context.Context, r callflow.LegRequest) (string, error)
	Ringback(ctx context.Context, r callflow.RingbackRequest) (string, error)
	// RingbackRetry is the wait TwiML when Ringback failed: try again shortly.
	RingbackRetry(r callflow.RingbackRequest) string
	HandleConferenceEvent(ctx context.Context, e callflow.ConferenceEvent) error
	HandleLegStatus(ctx context.Context, s callflow.LegStatus) error
	Act(ctx context.Context, who call.FlexUser, taskSid string, action call.CallAction) error
	Queues(ctx context.Context) ([]call.Queue, error)
	MissedCalls(ctx context.Context, who call.FlexUser) ([]call.MissedCall, error)
	DismissMissedCall(ctx context.Context, who call.FlexUser, id string) error
	Conferencing
}

// Deps is what the HTTP surface needs.
type Deps struct {
	Flow          CallFlow
	IAM           TokenValidator
	AuthToken     string   // validates X-Twilio-Signature
	PublicBaseURL *url.URL // the URL Twilio signs requests for
	TrustProxy    bool
	FlexOrigins   []string
	Assets        fs.FS  // built browser assets, served under /web/
	Plugin        []byte // the plugin shim
	// Dialpad serves the dialpad page framed in Flex; mounted at /dialpad.
	Dialpad http.Handler
	// Ready tells /readyz whether Twilio answers with this configuration.
	Ready func(ctx context.Context) error
	Log   *slog.Logger
	// Mount adds routes of the embedding program (the demo mounts the simulator).
	Mount func(chi.Router)
	// QuietPrefix marks routes whose successful requests are logged at debug level.
	QuietPrefix string
	// WebhookDeadline bounds each Twilio webhook, its Twilio calls and retries
	// included (default 10s: Twilio gives up at 15s).
	WebhookDeadline time.Duration
	// Meter is told of every request and Flex token check (nil: nothing is).
	Meter Meter
	// Metrics, with MetricsToken set, is served at MetricsPath to requests
	// bearing that token. Without a token the public port has no MetricsPath.
	Metrics      http.Handler
	MetricsToken string
}

type server struct {
	flow  CallFlow
	log   *slog.Logger
	ready *readiness
}

// maxAPIBody bounds a browser API call; actions carry no body.
const maxAPIBody = 16 << 10

// New builds the router.
func New(d Deps) (http.Handler, error) {
	static, err := newStaticFiles(d.Assets)
	if err != nil {
		return nil, err
	}
	if d.Meter == nil {
		d.Meter = noMeter{}
	}
	s := &server{flow: d.Flow, log: d.Log, ready: &readiness{check: d.Ready}}
	sig := &twilioSignature{validator: client.NewRequestValidator(d.AuthToken), base: d.PublicBaseURL, trustProxy: d.TrustProxy}
	flexCORS := cors.Handler(cors.Options{
		AllowedOrigins: d.FlexOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodDelete},
		AllowedHeaders: []string{FlexTokenHeader, "Content-Type"},
		MaxAge:         600,
	})

	r := chi.NewRouter()
	// CORS sits in front of routing so preflight requests of any route get answered.
	r.Use(middleware.Recoverer, requestLog(d.Log, d.QuietPrefix), countRequests(d.Meter), securityHeaders(d.PublicBaseURL.Scheme == "https"), flexCORS, middleware.GetHead)

	r.Get("/healthz", healthz)
	r.Get("/readyz", s.readyz)
	if d.Metrics != nil && d.MetricsToken != "" {
		r.Method(http.MethodGet, MetricsPath, bearerOnly(d.MetricsToken, d.Metrics))
	}

	r.Method(http.MethodGet, call.PathPlugin, bytesHandler(d.Plugin, "text/javascript; charset=utf-8"))
	r.Handle(call.PathWeb+"*", http.StripPrefix(call.PathWeb, static))
	if d.Dialpad != nil {
		r.Mount(call.PathDialpad, d.Dialpad)
	}
	r.Method(http.MethodGet, call.PathRingbackTone, bytesHandler(tone.RingbackWAV(), "audio/wav"))

	r.Group(func(r chi.Router) {
		deadline := d.WebhookDeadline
		if deadline == 0 {
			deadline = webhookDeadline
		}
		r.Use(sig.middleware, withDeadline(deadline))
		r.Post(call.PathCallerTwiML, s.legHandler(d.Flow.CallerTwiML))
		r.Post(call.PathCalleeTwiML, s.legHandler(d.Flow.CalleeTwiML))
		r.Post(call.PathRingback, s.waitURL)
		r.Post(call.PathConferenceCallback, s.conferenceCallback)
		r.Post(call.PathLegStatusCallback, s.legStatusCallback)
	})

	r.Group(func(r chi.Router) {
		r.Use(middleware.RequestSize(maxAPIBody), withDeadline(apiDeadline), newFlexAuth(d.IAM, d.TrustProxy, d.Meter).middleware)
		r.Post(call.PathAPICalls+"/{taskSid}/{action}", s.callAction)
		s.partyRoutes(r)
		r.Get(call.PathAPIQueues, s.queues)
		r.Get(call.PathAPIMissedCalls, s.missedCalls)
		r.Delete(call.PathAPIMissedCalls+"/{id}", s.dismissMissedCall)
	})

	if d.Mount != nil {
		d.Mount(r)
	}
	return r, nil
}
