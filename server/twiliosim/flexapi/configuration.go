package flexapi

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// readOnly are the configuration keys an update cannot change.
var readOnly = map[string]bool{
	"account_sid": true, "date_created": true, "date_updated": true, "url": true,
}

// defaultConfiguration is what a fresh Flex account holds before anyone
// configures outbound calls or plugins.
func defaultConfiguration(accountSid string, now time.Time) map[string]any {
	return map[string]any{
		"account_sid":                     accountSid,
		"date_created":                    rest.TimeV1(now),
		"date_updated":                    rest.TimeV1(now),
		"status":                          "ok",
		"ui_language":                     "en",
		"ui_version":                      "2.17.1",
		"service_version":                 "1.0",
		"ui_attributes":                   map[string]any{},
		"ui_dependencies":                 map[string]any{},
		"attributes":                      map[string]any{},
		"taskrouter_workspace_sid":        nil,
		"taskrouter_offline_activity_sid": nil,
		"taskrouter_taskqueues":           []any{},
		"taskrouter_skills":               []any{},
		"serverless_service_sids":         []any{},
		"plugin_service_enabled":          true,
		"plugin_service_attributes":       map[string]any{},
		"call_recording_enabled":          false,
		"crm_enabled":                     false,
		"outbound_call_flows":             map[string]any{},
		"integrations":                    []any{},
		"channel_configs":                 []any{},
		"public_attributes":               map[string]any{},
		"url":                             "https://" + Host + "/v1/Configuration",
	}
}

// Configuration returns a deep copy of the current configuration as JSON values.
func (a *API) Configuration() map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	return clone(a.config)
}

// WorkspaceSid is the configuration's taskrouter_workspace_sid ("" when
// unset): what Flex pages read on every request, without copying the rest.
func (a *API) WorkspaceSid() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	sid, _ := a.config["taskrouter_workspace_sid"].(string)
	return sid
}

// UpdateConfiguration merges patch into the configuration as Twilio does: each
// top-level key given replaces the stored value whole (a JSON object such as
// ui_attributes is not merged key by key), a null removes it, and read-only keys
// are ignored. patch must name this account in account_sid.
func (a *API) UpdateConfiguration(patch map[string]any) (map[string]any, error) {
	if sid, _ := patch["account_sid"].(string); sid != a.accountSid {
		return nil, rest.BadRequest(20001, "account_sid must be %s", a.accountSid)
	}
	patch = clone(patch)
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, v := range patch {
		if readOnly[k] {
			continue
		}
		if v == nil {
			delete(a.config, k)
			continue
		}
		a.config[k] = v
	}
	a.config["date_updated"] = rest.TimeV1(a.now())
	return clone(a.config), nil
}

// clone deep-copies a JSON object through the encoder, which also normalises
// Go values (structs, typed slices) into plain JSON values.
func clone(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("flexapi: configuration is not JSON: %v", err))
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
