package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/flex-internal-call/internal-call/call"
)

// callMetrics count what happens to internal calls.
type callMetrics struct {
	calleeTasks *prometheus.CounterVec
	claimsLost  prometheus.Counter
	statuses    *prometheus.CounterVec
	phases      *prometheus.HistogramVec
}

func newCallMetrics(reg prometheus.Registerer) callMetrics {
	m := callMetrics{
		calleeTasks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "callee_tasks_created_total",
			Help: "Callee tasks created in TaskRouter, by target (agent, queue).",
		}, []string{"target"}),
		claimsLost: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "callee_task_claims_lost_total",
			Help: "Set-ups of a callee task that found another attempt's live claim and left the work to it (duplicate or concurrent callbacks).",
		}),
		statuses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "calls_total",
			Help: "Calls reaching a status: connected, then how they finished (ended, declined, no-answer, canceled, failed). Counted once, by the replica whose write made it so.",
		}, []string{"status"}),
		phases: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "call_phase_duration_seconds",
			Help:    "Durations of a call's phases: click_to_ringing (caller task created to callee offered), ringing_to_connected (callee offered to answered), talk (connected to hung up).",
			Buckets: phaseSeconds,
		}, []string{"phase"}),
	}
	reg.MustRegister(m.calleeTasks, m.claimsLost, m.statuses, m.phases)
	return m
}

// CalleeTaskCreated counts one callee task created for a call to target.
func (m callMetrics) CalleeTaskCreated(target call.TargetKind) {
	m.calleeTasks.WithLabelValues(string(target)).Inc()
}

// ClaimLost counts one set-up that left the callee task to another attempt.
func (m callMetrics) ClaimLost() { m.claimsLost.Inc() }

// CallReached counts a call reaching status.
func (m callMetrics) CallReached(status call.Status) {
	m.statuses.WithLabelValues(string(status)).Inc()
}

// PhaseTook records how long one phase of a call took.
func (m callMetrics) PhaseTook(phase string, d time.Duration) {
	m.phases.WithLabelValues(phase).Observe(d.Seconds())
}
