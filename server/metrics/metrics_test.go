package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTheHandlerServesWhatWasRecorded(t *testing.T) {
	m := New()
	m.RequestServed("/api/calls/{taskSid}/{action}", "POST", 200, 30*time.Millisecond)
	m.RequestServed("", "BREW", 404, time.Millisecond)
	m.TwilioAttempt("taskrouter", 0, 2)
	m.CallReached("no-answer")
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, want := range []string{
		`internal_call_http_requests_total{method="POST",route="/api/calls/{taskSid}/{action}",status="200"} 1`,
		// Unknown methods and unmatched paths each share one series.
		`internal_call_http_requests_total{method="other",route="unmatched",status="404"} 1`,
		`internal_call_twilio_requests_total{attempt="2",product="taskrouter",status="error"} 1`,
		`internal_call_calls_total{status="no-answer"} 1`,
		`internal_call_callee_task_claims_lost_total 0`,
		"go_goroutines ",
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestTwoServersDoNotShareCounters(t *testing.T) {
	a, b := New(), New()
	a.ClaimLost()
	w := httptest.NewRecorder()
	b.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(w.Body.String(), "internal_call_callee_task_claims_lost_total 0") {
		t.Fatal("a claim lost on one server shows on another")
	}
}
