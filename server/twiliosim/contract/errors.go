package contract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// describe turns a kin-openapi validation error into one short line naming the
// parameter, in the spirit of Twilio's "Invalid parameter" messages. kin's own
// Error() dumps the whole schema, which is useless in a 400 body and a log.
func describe(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) && len(me) > 0 {
		err = me[0]
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return clip(firstLine(err.Error()), 300)
	}
	name := ""
	if re.Parameter != nil {
		name = re.Parameter.Name
	}
	if re.Err == nil {
		if strings.HasPrefix(re.Reason, "header Content-Type") {
			return "Unsupported Content-Type: " + clip(re.Input.Request.Header.Get("Content-Type"), 100)
		}
		return clip(firstLine(re.Error()), 300)
	}
	if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		if name == "" {
			return "Missing required request body"
		}
		return "Missing required parameter " + name
	}

	var se *openapi3.SchemaError
	var pe *openapi3filter.ParseError
	switch {
	case errors.As(re.Err, &se):
		if p := se.JSONPointer(); len(p) > 0 {
			name = join(name, strings.Join(p, "."))
		}
		if se.SchemaField == "required" {
			return "Missing required parameter " + name
		}
		return invalid(name, se.Value, se.Reason)
	case errors.As(re.Err, &pe):
		// A form value that does not even parse as its type; nested parse
		// errors each carry a piece of the path.
		for {
			for _, p := range pe.Path() {
				name = join(name, fmt.Sprint(p))
			}
			var inner *openapi3filter.ParseError
			if pe.Reason != "" || !errors.As(pe.Cause, &inner) {
				break
			}
			pe = inner
		}
		reason := pe.Reason
		if reason == "" && pe.Cause != nil {
			reason = pe.Cause.Error()
		}
		return invalid(name, pe.Value, reason)
	}
	return invalid(name, nil, re.Err.Error())
}

func invalid(name string, value any, reason string) string {
	msg := "Invalid request body"
	if name != "" {
		msg = "Invalid parameter " + name
	}
	msg += ": " + clip(firstLine(reason), 200)
	if s, ok := value.(string); ok {
		msg += fmt.Sprintf(" (got %q)", clip(s, 60))
	} else if value != nil {
		if _, composite := value.(map[string]any); !composite {
			msg += " (got " + clip(fmt.Sprint(value), 60) + ")"
		}
	}
	return msg
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// describeResponse is describe for a response mismatch: the JSON field and
// the reason, without kin's schema dump.
func describeResponse(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) && len(me) > 0 {
		err = me[0]
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		field := strings.Join(se.JSONPointer(), ".")
		if field == "" {
			field = "(body)"
		}
		reason := se.Reason
		if reason == "" {
			reason = "does not match schema field " + se.SchemaField
		}
		msg := "field " + field + ": " + clip(firstLine(reason), 200)
		if se.Value != nil {
			msg += " (got " + clip(fmt.Sprintf("%#v", se.Value), 60) + ")"
		}
		return msg
	}
	var re *openapi3filter.ResponseError
	if errors.As(err, &re) && re.Reason != "" {
		return clip(firstLine(re.Reason), 300)
	}
	return clip(firstLine(err.Error()), 300)
}
