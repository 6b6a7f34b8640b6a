package app_test

import (
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/demo/demotest"
)

// scrape reads a metrics page; want is the expected status.
func scrape(t *testing.T, url, token string, want int) map[string]*dto.MetricFamily {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d", url, resp.StatusCode, want)
	}
	if want != http.StatusOK {
		return nil
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return families
}

// sample is the value of the series of a family whose labels include
// labels (a counter's value, a histogram's count); -1 when there is none.
func sample(families map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	f, ok := families[name]
	if !ok {
		return -1
	}
	total, found := 0.0, false
	for _, m := range f.GetMetric() {
		if !hasLabels(m, labels) {
			continue
		}
		found = true
		switch {
		case m.GetCounter() != nil:
			total += m.GetCounter().GetValue()
		case m.GetHistogram() != nil:
			total += float64(m.GetHistogram().GetSampleCount())
		}
	}
	if !found {
		return -1
	}
	return total
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}

func TestMetricsListenerCountsAnAgentCall(t *testing.T) {
	p := startDemo(t, demotest.Options{Metrics: config.Metrics{Addr: "127.0.0.1:0"}})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask, calleeTask := connect(t, p, alice, bob)
	bob.act(calleeTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusEnded)
	p.assignment("wrapping", callerTask, calleeTask)
	alice.finish()
	bob.finish()
	p.settled()

	m := scrape(t, p.metrics+"/metrics", "", http.StatusOK)
	atLeastOne := []struct {
		name   string
		labels map[string]string
	}{
		{"internal_call_http_requests_total", map[string]string{"route": call.PathCallerTwiML, "method": "POST", "status": "200"}},
		{"internal_call_http_requests_total", map[string]string{"route": call.PathConferenceCallback, "status": "204"}},
		{"internal_call_http_requests_total", map[string]string{"route": call.PathAPICalls + "/{taskSid}/{action}", "status": "200"}},
		{"internal_call_http_request_duration_seconds", map[string]string{"route": call.PathCalleeTwiML}},
		{"internal_call_twilio_requests_total", map[string]string{"product": "taskrouter", "status": "200", "attempt": "1"}},
		{"internal_call_twilio_requests_total", map[string]string{"product": "api", "attempt": "1"}},
		{"internal_call_twilio_requests_total", map[string]string{"product": "iam", "status": "200"}},
		{"internal_call_twilio_request_duration_seconds", map[string]string{"product": "taskrouter"}},
		{"internal_call_flex_token_validations_total", map[string]string{"result": "valid"}},
	}
	for _, c := range atLeastOne {
		if v := sample(m, c.name, c.labels); v < 1 {
			t.Errorf("%s%v = %v, want at least 1", c.name, c.labels, v)
		}
	}
	exactlyOne := []struct {
		name   string
		labels map[string]string
	}{
		{"internal_call_callee_tasks_created_total", map[string]string{"target": "agent"}},
		{"internal_call_calls_total", map[string]string{"status": "connected"}},
		{"internal_call_calls_total", map[string]string{"status": "ended"}},
		{"internal_call_call_phase_duration_seconds", map[string]string{"phase": "click_to_ringing"}},
		{"internal_call_call_phase_duration_seconds", map[string]string{"phase": "ringing_to_connected"}},
		{"internal_call_call_phase_duration_seconds", map[string]string{"phase": "talk"}},
	}
	for _, c := range exactlyOne {
		if v := sample(m, c.name, c.labels); v != 1 {
			t.Errorf("%s%v = %v, want 1", c.name, c.labels, v)
		}
	}
	if v := sample(m, "internal_call_calls_total", map[string]string{"status": "canceled"}); v > 0 {
		t.Errorf("a call that ended was also counted canceled (%v)", v)
	}
	if v := sample(m, "internal_call_callee_task_claims_lost_total", nil); v < 0 {
		t.Error("claims lost are not exported")
	}
	// Routes are patterns: no series per task.
	for _, s := range m["internal_call_http_requests_total"].GetMetric() {
		for _, l := range s.GetLabel() {
			if l.GetName() == "route" && strings.Contains(l.GetValue(), "WT") {
				t.Errorf("route label holds a raw path: %q", l.GetValue())
			}
		}
	}
	// Without METRICS_TOKEN the public port has no metrics.
	scrape(t, p.url+"/metrics", "", http.StatusNotFound)
}

func TestMetricsOnThePublicPortNeedTheToken(t *testing.T) {
	const token = "0123456789abcdef-metrics"
	p := startDemo(t, demotest.Options{Metrics: config.Metrics{Token: token}})
	if p.metrics != "" {
		t.Fatalf("a metrics listener at %s though METRICS_ADDR is empty", p.metrics)
	}
	scrape(t, p.url+"/metrics", "", http.StatusUnauthorized)
	scrape(t, p.url+"/metrics", "wrong-token-of-some-length", http.StatusUnauthorized)
	p.do(http.MethodGet, p.url+"/healthz", "", nil, nil, 200)
	m := scrape(t, p.url+"/metrics", token, http.StatusOK)
	if v := sample(m, "internal_call_http_requests_total", map[string]string{"route": "/healthz", "status": "200"}); v != 1 {
		t.Errorf("/healthz counted %v times, want 1", v)
	}
	if v := sample(m, "internal_call_http_requests_total", map[string]string{"route": "/metrics", "status": "401"}); v != 2 {
		t.Errorf("refused scrapes counted %v times, want 2", v)
	}
}
