// Package metrics holds the server's Prometheus metrics and serves them. The
// packages at the server's edges (httpapi, twilioapi, the call watch) report
// through small interfaces of their own; Metrics implements them all.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric of the server.
const namespace = "internal_call"

// Metrics is one server's metrics, on a registry of its own (two servers in
// one process, as in tests, do not share counters).
type Metrics struct {
	reg *prometheus.Registry
	httpMetrics
	twilioMetrics
	callMetrics
	tokenMetrics
}

// New registers the server's metrics, with the Go runtime's and the process's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.httpMetrics = newHTTPMetrics(m.reg)
	m.twilioMetrics = newTwilioMetrics(m.reg)
	m.callMetrics = newCallMetrics(m.reg)
	m.tokenMetrics = newTokenMetrics(m.reg)
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// seconds are the buckets of the request and call-phase durations.
var (
	requestSeconds = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	phaseSeconds   = []float64{.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 900, 1800, 3600}
)
