package admin

import "encoding/json"

// Keys of the Flex configuration Internal Call reads.
const (
	keyOutboundCallFlows = "outbound_call_flows"
	keyUIAttributes      = "ui_attributes"
)

// outboundFlow is outbound_call_flows.default, where the caller's task is created.
type outboundFlow struct {
	WorkflowSid string `json:"workflow_sid"`
	QueueSid    string `json:"queue_sid"`
	CallerID    string `json:"caller_id"`
	Enabled     bool   `json:"enabled"`
}

// outboundFlowOf reads outbound_call_flows.default; present is false when it is absent.
func outboundFlowOf(cfg map[string]any) (flow outboundFlow, present bool) {
	flows, _ := cfg[keyOutboundCallFlows].(map[string]any)
	def, ok := flows["default"].(map[string]any)
	if !ok {
		return outboundFlow{}, false
	}
	b, _ := json.Marshal(def)
	_ = json.Unmarshal(b, &flow)
	return flow, true
}

// featuresOf is ui_attributes.custom_data.features.internal_call (nil when absent).
func featuresOf(cfg map[string]any) map[string]any {
	ui, _ := cfg[keyUIAttributes].(map[string]any)
	cd, _ := ui["custom_data"].(map[string]any)
	fs, _ := cd["features"].(map[string]any)
	ic, _ := fs["internal_call"].(map[string]any)
	return ic
}

// Feature flags and what the browser assumes when one is absent.
var featureDefaults = []struct {
	key string
	def bool
}{{"enabled", false}, {"enable_call_agent", true}, {"enable_call_queue", true}}

// flag reads a boolean feature flag: its value, the default when absent,
// and ok false when it is there but not a JSON boolean (the browser then
// reads it as absent).
func flag(ic map[string]any, key string, def bool) (on, ok bool) {
	v, present := ic[key]
	if !present {
		return def, true
	}
	b, isBool := v.(bool)
	if !isBool {
		return def, false
	}
	return b, true
}

func str(cfg map[string]any, key string) string {
	s, _ := cfg[key].(string)
	return s
}

// withKey returns a deep copy of m (nil: empty) with path set to value.
func withKey(m map[string]any, value any, path ...string) map[string]any {
	out := cloneJSON(m)
	cur := out
	for _, k := range path[:len(path)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	cur[path[len(path)-1]] = value
	return out
}

func cloneJSON(m map[string]any) map[string]any {
	out := map[string]any{}
	if m == nil {
		return out
	}
	b, _ := json.Marshal(m)
	_ = json.Unmarshal(b, &out)
	return out
}
