package contract

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// ResponseChecker validates the simulator's own answers against the documents
// and records every mismatch, so tests can assert that what the simulator sends
// is what twilio-go expects to decode. Use it through Options.Responses; the
// zero value is ready. It is meant for tests: it buffers each response body.
type ResponseChecker struct {
	mu         sync.Mutex
	violations []Violation
}

// Violation is one response that does not match its operation's document.
type Violation struct {
	Method  string
	Path    string // as requested from the simulator
	Status  int
	Problem string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s → %d: %s", v.Method, v.Path, v.Status, v.Problem)
}

// Violations returns what was recorded so far.
func (rc *ResponseChecker) Violations() []Violation {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Violation(nil), rc.violations...)
}

// Err is nil when no violation was recorded, otherwise an error listing them.
func (rc *ResponseChecker) Err() error {
	var errs []error
	for _, v := range rc.Violations() {
		errs = append(errs, errors.New(v.String()))
	}
	return errors.Join(errs...)
}

// Reset forgets recorded violations.
func (rc *ResponseChecker) Reset() {
	rc.mu.Lock()
	rc.violations = nil
	rc.mu.Unlock()
}

func (rc *ResponseChecker) record(v Violation) {
	rc.mu.Lock()
	rc.violations = append(rc.violations, v)
	rc.mu.Unlock()
}

// responseOptions: Twilio documents only success statuses, so error answers
// (whose shape is rest.Error) are not checked against the document; an
// undocumented 2xx is caught separately in serve.
var responseOptions = &openapi3filter.Options{
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
}

func (rc *ResponseChecker) serve(w http.ResponseWriter, r *http.Request, c *checked, next http.Handler) {
	rec := &recorder{ResponseWriter: w}
	next.ServeHTTP(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	v := Violation{Method: r.Method, Path: r.URL.Path, Status: rec.status}
	if rec.status >= 200 && rec.status < 300 && c.route.Operation.Responses.Status(rec.status) == nil {
		v.Problem = "status not documented for this operation"
		rc.record(v)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: c.input,
		Status:                 rec.status,
		Header:                 w.Header(),
		Options:                responseOptions,
	}
	in.SetBodyBytes(rec.body.Bytes())
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		v.Problem = describeResponse(err)
		rc.record(v)
	}
}

// recorder passes the response through and keeps a copy of it.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (Flush etc.).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
