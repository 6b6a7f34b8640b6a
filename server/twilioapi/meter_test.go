package twilioapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingMeter keeps what the transport told it.
type recordingMeter struct {
	mu       sync.Mutex
	attempts []string
	retries  []string
	calls    []string
}

func (m *recordingMeter) TwilioAttempt(product string, status, attempt int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.attempts = append(m.attempts, product+" "+http.StatusText(status)+" #"+string(rune('0'+attempt)))
}

func (m *recordingMeter) TwilioRetry(product, reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.retries = append(m.retries, product+" "+reason)
}

func (m *recordingMeter) TwilioCall(product string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, product)
}

func TestTheMeterHearsEveryTryAndRetryOfACall(t *testing.T) {
	c, _, _ := stub(t, 503, 429, 200)
	m := &recordingMeter{}
	c.transport.(*retryTransport).meter = m
	if _, err := c.TaskRouter(ws).FetchTask(ctx, "WT00000000000000000000000000000001"); err != nil {
		t.Fatal(err)
	}
	wantAttempts := []string{"taskrouter Service Unavailable #1", "taskrouter Too Many Requests #2", "taskrouter OK #3"}
	if !slices.Equal(m.attempts, wantAttempts) {
		t.Errorf("attempts %q, want %q", m.attempts, wantAttempts)
	}
	if want := []string{"taskrouter 5xx", "taskrouter 429"}; !slices.Equal(m.retries, want) {
		t.Errorf("retries %q, want %q", m.retries, want)
	}
	if want := []string{"taskrouter"}; !slices.Equal(m.calls, want) {
		t.Errorf("calls %q, want %q", m.calls, want)
	}
}

func TestProductsAreNamedByHost(t *testing.T) {
	for host, want := range map[string]string{
		"taskrouter.twilio.com":            "taskrouter",
		"taskrouter.dublin.ie1.twilio.com": "taskrouter",
		"api.twilio.com":                   "api",
		"iam.twilio.com":                   "iam",
		"flex-api.twilio.com":              "flex",
		"serverless.twilio.com":            "serverless",
		"example.com":                      "other",
	} {
		req, _ := http.NewRequest(http.MethodGet, "https://"+host+"/v1", nil)
		if got := productOf(req); got != want {
			t.Errorf("%s: product %q, want %q", host, got, want)
		}
	}
}

func TestPathTemplatesHideEverySID(t *testing.T) {
	for path, want := range map[string]string{
		"/v1/Workspaces/WS00000000000000000000000000000001/Tasks/WT00000000000000000000000000000002":                  "/v1/Workspaces/{WS}/Tasks/{WT}",
		"/2010-04-01/Accounts/AC00000000000000000000000000000001/Conferences/CF00000000000000000000000000000003.json": "/2010-04-01/Accounts/{AC}/Conferences/{CF}.json",
		"/v1/Accounts/AC00000000000000000000000000000001/Tokens/validate":                                             "/v1/Accounts/{AC}/Tokens/validate",
		"/v1/Workspaces/WS00000000000000000000000000000001/Tasks":                                                     "/v1/Workspaces/{WS}/Tasks",
	} {
		if got := pathTemplate(path); got != want {
			t.Errorf("%s: template %q, want %q", path, got, want)
		}
	}
}

func TestOneLinePerCallAtDebugWhenItSucceedsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		statuses []int
		level    string
	}{
		{[]int{200}, "DEBUG"},
		{[]int{503, 200}, "INFO"},
		{[]int{404}, "WARN"},
	} {
		c, _, _ := stub(t, tc.statuses...)
		var buf bytes.Buffer
		c.transport.(*retryTransport).log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		_, _ = c.TaskRouter(ws).FetchTask(ctx, "WT00000000000000000000000000000001")
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 1 {
			t.Fatalf("%v: %d lines, want 1:\n%s", tc.statuses, len(lines), buf.String())
		}
		for _, want := range []string{"level=" + tc.level, "method=GET", "product=taskrouter", "path=/v1/Workspaces/{WS}/Tasks/{WT}",
			"attempts=" + string(rune('0'+len(tc.statuses))), "task_sid=WT00000000000000000000000000000001", "duration_ms="} {
			if !strings.Contains(lines[0], want) {
				t.Errorf("%v: %q lacks %q", tc.statuses, lines[0], want)
			}
		}
	}
}
