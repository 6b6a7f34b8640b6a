package twilioapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/backoff"
)

// contextTransport runs a request under the context of the server request it
// serves (twilio-go v1 sends every request with context.Background), with a
// default deadline when that context has none.
type contextTransport struct {
	ctx     context.Context
	timeout time.Duration
	next    http.RoundTripper
}

func (t *contextTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := t.ctx, context.CancelFunc(func() {})
	if _, ok := ctx.Deadline(); !ok && t.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
	}
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// rebaseTransport sends requests for https://<product>.twilio.com/<path> to
// <base>/<product>/<path>, so a simulator or contract-test server can stand in
// for every Twilio product behind one base URL.
type rebaseTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rebaseTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host, ok := strings.CutSuffix(req.URL.Hostname(), ".twilio.com")
	if !ok || host == "" {
		return t.next.RoundTrip(req)
	}
	// taskrouter, or taskrouter.<edge>.<region>: the product is the first label.
	product, _, _ := strings.Cut(host, ".")
	r := req.Clone(req.Context())
	u := *t.base
	u.Path = strings.TrimRight(t.base.Path, "/") + "/" + product + req.URL.Path
	u.RawPath = ""
	u.RawQuery = req.URL.RawQuery
	r.URL = &u
	r.Host = u.Host
	return t.next.RoundTrip(r)
}

// retryTransport retries Twilio answers that are safe to retry, with
// jittered exponential backoff (package backoff), never past the request's
// deadline, logs one line per Twilio call and tells the meter of every try.
//
//   - 429 (Too Many Requests) is retried for every method: Twilio did not act on it.
//   - 5xx and network errors are retried only for reads and for updates of one
//     resource (POST to a URL ending in a SID, which sets fields to given values),
//     never for creates, which could act twice.
type retryTransport struct {
	next       http.RoundTripper
	attempts   int
	policy     backoff.Policy
	perAttempt time.Duration
	log        *slog.Logger
	meter      Meter
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	product := productOf(req)
	var resp *http.Response
	var err error
	attempts := t.attempts
	if isTokenValidation(req) {
		// A browser request waits on this one: one retry at most, so a flood
		// of sign-in checks does not multiply against a throttling IAM.
		attempts = min(attempts, 2)
	}
	attempt := 1
	for ; ; attempt++ {
		resp, err = t.try(req, attempt)
		t.meter.TwilioAttempt(product, statusOf(resp, err), attempt)
		if attempt >= attempts || !t.retryable(req, resp, err) {
			break
		}
		delay := t.backoff(attempt, resp)
		if dl, ok := req.Context().Deadline(); ok && time.Until(dl) < delay {
			break // no time left to retry: the caller gets this answer now
		}
		t.meter.TwilioRetry(product, retryReason(resp, err))
		if resp != nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if err := backoff.Sleep(req.Context(), delay); err != nil {
			t.finish(req, product, nil, err, attempt, start)
			return nil, err
		}
	}
	t.finish(req, product, resp, err, attempt, start)
	return resp, err
}

// finish logs and meters a whole call.
func (t *retryTransport) finish(req *http.Request, product string, resp *http.Response, err error, attempts int, start time.Time) {
	d := time.Since(start)
	t.meter.TwilioCall(product, d)
	t.logCall(req, product, resp, err, attempts, d)
}

// statusOf is the status of a try's answer, 0 when none came.
func statusOf(resp *http.Response, err error) int {
	if err != nil || resp == nil {
		return 0
	}
	return resp.StatusCode
}

func (t *retryTransport) try(req *http.Request, attempt int) (*http.Response, error) {
	r := req
	if attempt > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r = req.Clone(req.Context())
		r.Body = body
	}
	if t.perAttempt <= 0 {
		return t.next.RoundTrip(r)
	}
	ctx, cancel := context.WithTimeout(r.Context(), t.perAttempt)
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

func (t *retryTransport) retryable(req *http.Request, resp *http.Response, err error) bool {
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		return true
	}
	if err == nil && resp.StatusCode < 500 {
		return false
	}
	if req.Context().Err() != nil {
		return false
	}
	return idempotent(req)
}

func isTokenValidation(req *http.Request) bool {
	return strings.HasSuffix(req.URL.Path, "/Tokens/validate")
}

// idempotent reports whether repeating req cannot act twice.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodDelete:
		return true
	case http.MethodPost:
		last := req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
		last = strings.TrimSuffix(last, ".json")
		// Token validation only reads.
		return last == "validate" || looksLikeSID(last)
	}
	return false
}

func looksLikeSID(s string) bool {
	if len(s) != 34 {
		return false
	}
	for i := 0; i < 2; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	for i := 2; i < 34; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func (t *retryTransport) backoff(attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			return min(time.Duration(s)*time.Second, t.policy.Max)
		}
	}
	return t.policy.Delay(attempt)
}

// logCall writes one line per Twilio call. A call that succeeds at once is
// logged at debug: a call set-up makes a dozen of them, and the request line
// already says how it went. A success after retries and a 412 (another
// writer got in first; the flow reads again) are info; other failures warn.
func (t *retryTransport) logCall(req *http.Request, product string, resp *http.Response, err error, attempts int, d time.Duration) {
	attrs := []any{
		"method", req.Method,
		"product", product,
		"path", pathTemplate(req.URL.Path),
		"attempts", attempts,
		"duration_ms", d.Milliseconds(),
	}
	if sid := taskSidFromPath(req.URL.Path); sid != "" {
		attrs = append(attrs, "task_sid", sid)
	}
	ctx := req.Context()
	if err != nil {
		t.log.WarnContext(ctx, "twilio call failed", append(attrs, "error", err)...)
		return
	}
	level := slog.LevelDebug
	switch {
	case resp.StatusCode == http.StatusPreconditionFailed:
		level = slog.LevelInfo
	case resp.StatusCode >= 400:
		level = slog.LevelWarn
	case attempts > 1:
		level = slog.LevelInfo
	}
	t.log.Log(ctx, level, "twilio call", append(attrs, "status", resp.StatusCode)...)
}

func taskSidFromPath(p string) string {
	i := strings.Index(p, "/Tasks/")
	if i < 0 || len(p) < i+7+34 {
		return ""
	}
	return p[i+7 : i+7+34]
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
