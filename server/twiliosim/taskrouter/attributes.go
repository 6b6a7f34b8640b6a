package taskrouter

import (
	"encoding/json"
	"strings"

	"github.com/flex-internal-call/internal-call/server/twiliosim/expr"
)

// parseAttrs checks that s is a JSON object, as Twilio requires for task and
// worker attributes, and decodes it for expression evaluation.
func parseAttrs(what, s string) (map[string]any, error) {
	if strings.TrimSpace(s) == "" {
		return map[string]any{}, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil || m == nil {
		return nil, errInvalid("%s must be a JSON object", what)
	}
	return m, nil
}

// compileExpr parses a TaskRouter expression; an empty one matches everything.
func compileExpr(src string) (*expr.Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	e, err := expr.Parse(src)
	if err != nil {
		return nil, errInvalid("Invalid expression %q: %v", src, err)
	}
	return e, nil
}

// holds evaluates e (nil means true).
func holds(e *expr.Expr, s expr.Scope) bool { return e == nil || e.Eval(s) }
