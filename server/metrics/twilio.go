package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// twilioMetrics count the server's REST calls to Twilio, by product (the
// host's first label: taskrouter, api for Voice, iam, flex, serverless).
type twilioMetrics struct {
	attempts *prometheus.CounterVec
	retries  *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newTwilioMetrics(reg prometheus.Registerer) twilioMetrics {
	m := twilioMetrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "twilio_requests_total",
			Help: "HTTP exchanges with Twilio's REST APIs, by product, status (error: no answer) and attempt (1 for the first try).",
		}, []string{"product", "status", "attempt"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "twilio_retries_total",
			Help: "Twilio REST calls tried again, by product and what the previous try got (429, 5xx, error).",
		}, []string{"product", "reason"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "twilio_request_duration_seconds",
			Help: "Time of a Twilio REST call, its retries and backoff included, by product.", Buckets: requestSeconds,
		}, []string{"product"}),
	}
	reg.MustRegister(m.attempts, m.retries, m.duration)
	return m
}

// TwilioAttempt counts one exchange; status 0 means no answer came.
func (m twilioMetrics) TwilioAttempt(product string, status, attempt int) {
	s := "error"
	if status != 0 {
		s = strconv.Itoa(status)
	}
	m.attempts.WithLabelValues(product, s, strconv.Itoa(attempt)).Inc()
}

// TwilioRetry counts a call tried again after reason (429, 5xx or error).
func (m twilioMetrics) TwilioRetry(product, reason string) {
	m.retries.WithLabelValues(product, reason).Inc()
}

// TwilioCall records a whole call, retries included.
func (m twilioMetrics) TwilioCall(product string, d time.Duration) {
	m.duration.WithLabelValues(product).Observe(d.Seconds())
}
