package contract

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// unknownParameter returns the first query or form parameter that route does
// not document, or "". Real Twilio ignores such parameters, so a misspelt one
// in the product would silently do nothing there; Options.RejectUnknown makes
// the simulator say so instead.
func unknownParameter(r *http.Request, route *routers.Route, body []byte) string {
	known := map[string]bool{}
	for _, ps := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, p := range ps {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				known[p.Value.Name] = true
			}
		}
	}
	if name := firstUnknown(r.URL.Query(), known); name != "" {
		return name
	}
	// Only forms: a JSON body's keys may be left open by its schema.
	ct := r.Header.Get("Content-Type")
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil || len(body) == 0 || !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return ""
	}
	mt := rb.Value.Content.Get(ct)
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return ""
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	known = map[string]bool{}
	for name := range mt.Schema.Value.Properties {
		known[name] = true
	}
	return firstUnknown(form, known)
}

func firstUnknown(values url.Values, known map[string]bool) string {
	var unknown []string
	for k := range values {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return ""
	}
	sort.Strings(unknown)
	return unknown[0]
}

func unknownError(name string) *rest.Error {
	return rest.BadRequest(20001, "Unknown parameter %s: not in Twilio's API description", name)
}
