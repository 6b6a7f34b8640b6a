package metrics

import "github.com/prometheus/client_golang/prometheus"

// tokenMetrics count the checks of the Flex tokens browsers send.
type tokenMetrics struct {
	validations *prometheus.CounterVec
	cacheHits   *prometheus.CounterVec
}

func newTokenMetrics(reg prometheus.Registerer) tokenMetrics {
	m := tokenMetrics{
		validations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "flex_token_validations_total",
			Help: "Flex tokens checked with Twilio IAM, by result (valid, invalid, not-worker, error).",
		}, []string{"result"}),
		cacheHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "flex_token_cache_hits_total",
			Help: "Flex tokens answered from the server's cache without asking IAM, by the remembered result (valid, invalid).",
		}, []string{"result"}),
	}
	reg.MustRegister(m.validations, m.cacheHits)
	return m
}

// TokenValidated counts one answer of IAM (or the failure to get one).
func (m tokenMetrics) TokenValidated(result string) { m.validations.WithLabelValues(result).Inc() }

// TokenCacheHit counts one token answered from the cache.
func (m tokenMetrics) TokenCacheHit(result string) { m.cacheHits.WithLabelValues(result).Inc() }
