package agents

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// decodeBody reads a JSON body into v; an empty body leaves v as it is.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil && len(b) > 0 {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		rest.WriteError(w, rest.BadRequest(20001, "Body must be JSON: %v", err))
		return false
	}
	return true
}

// Agent is a worker as the agent pages see it (the SDK's Worker): attributes
// parsed, contact_uri and full_name lifted out.
type Agent struct {
	Sid          string         `json:"sid"`
	FriendlyName string         `json:"friendly_name"`
	FullName     string         `json:"full_name"`
	ContactURI   string         `json:"contact_uri"`
	ActivitySid  string         `json:"activity_sid"`
	ActivityName string         `json:"activity_name"`
	Available    bool           `json:"available"`
	Attributes   map[string]any `json:"attributes"`
}

func agentOf(w taskrouter.Worker) Agent {
	attrs := parseObject(w.Attributes)
	full, _ := attrs["full_name"].(string)
	uri, _ := attrs["contact_uri"].(string)
	return Agent{
		Sid: w.Sid, FriendlyName: w.FriendlyName, FullName: full, ContactURI: uri,
		ActivitySid: w.ActivitySid, ActivityName: w.ActivityName, Available: w.Available,
		Attributes: attrs,
	}
}

// parseObject parses a JSON object string; anything else reads as {}.
func parseObject(s string) map[string]any {
	var m map[string]any
	if json.Unmarshal([]byte(s), &m) != nil || m == nil {
		m = map[string]any{}
	}
	return m
}

// sdkTask is a task as the SDK hands it to a page: the REST view with
// attributes parsed into an object.
func sdkTask(t taskrouter.Task) map[string]any {
	b, _ := json.Marshal(t)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["attributes"] = parseObject(t.Attributes)
	return m
}
