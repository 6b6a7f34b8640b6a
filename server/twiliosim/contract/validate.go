package contract

import (
	"bytes"
	"io"
	"net/http"
	"net/url"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// options for every request validation. Authentication is checked elsewhere
// in the simulator, so the documents' security requirement is waved through. Defaults are not written back: the handler must
// see the form exactly as the client sent it.
var options = &openapi3filter.Options{
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
}

// checked is a request matched to its operation.
type checked struct {
	route *routers.Route
	input *openapi3filter.RequestValidationInput
}

// Validate checks r against the documents. It returns nil for a valid request
// and for a path no document covers (IAM, simulator pages); otherwise the
// Twilio error to answer. r's body is read and replaced, so it stays readable.
func Validate(r *http.Request) *rest.Error {
	_, e := Options{}.validate(r)
	return e
}

func (o Options) validate(r *http.Request) (*checked, *rest.Error) {
	p, realPath := productFor(r.URL.Path)
	if p == nil {
		return nil, nil
	}
	router, err := p.load()
	if err != nil {
		return nil, rest.Errorf(http.StatusInternalServerError, 20500, "%v", err)
	}
	body, err := rebuffer(r)
	if err != nil {
		return nil, rest.BadRequest(20001, "Unreadable request body: %v", err)
	}

	// Route and validate a copy addressed to the real host, as the documents'
	// servers name it; the caller's request keeps its own URL.
	onHost := r.Clone(r.Context())
	onHost.URL = &url.URL{Scheme: "https", Host: p.host, Path: realPath, RawQuery: r.URL.RawQuery}
	onHost.Host = p.host
	onHost.RequestURI = ""
	setBody(onHost, body)

	route, params, err := router.FindRoute(onHost)
	if err != nil {
		return nil, rest.NotFound(realPath)
	}
	c := &checked{route: route, input: &openapi3filter.RequestValidationInput{
		Request: onHost, PathParams: params, Route: route, Options: options,
	}}
	if err := openapi3filter.ValidateRequest(r.Context(), c.input); err != nil {
		return nil, rest.BadRequest(20001, "%s", describe(err))
	}
	if o.RejectUnknown {
		if name := unknownParameter(r, route, body); name != "" {
			return nil, unknownError(name)
		}
	}
	return c, nil
}

// rebuffer reads r's body and puts an identical one back.
func rebuffer(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	setBody(r, body)
	return body, err
}

func setBody(r *http.Request, body []byte) {
	if body == nil {
		r.Body, r.GetBody = http.NoBody, nil
		return
	}
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.Body, _ = r.GetBody()
}
