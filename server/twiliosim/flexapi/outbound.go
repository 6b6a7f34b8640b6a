package flexapi

import "encoding/json"

// OutboundCallFlow is outbound_call_flows.default: where Flex creates the task of
// an outbound call, and the caller ID SIP agents dial with.
type OutboundCallFlow struct {
	WorkflowSid string `json:"workflow_sid"`
	QueueSid    string `json:"queue_sid"`
	CallerID    string `json:"caller_id"`
	Enabled     bool   `json:"enabled"`
	Location    string `json:"location,omitempty"`
}

// InternalCallFeature is ui_attributes.custom_data.features.internal_call, the
// switches the product reads.
type InternalCallFeature struct {
	Enabled         bool `json:"enabled"`
	EnableCallAgent bool `json:"enable_call_agent"`
	EnableCallQueue bool `json:"enable_call_queue"`
}

// OutboundCallFlow returns outbound_call_flows.default and whether it is set.
func (a *API) OutboundCallFlow() (OutboundCallFlow, bool) {
	var f struct {
		Flows struct {
			Default *OutboundCallFlow `json:"default"`
		} `json:"outbound_call_flows"`
	}
	if !decodeConfig(a.Configuration(), &f) || f.Flows.Default == nil {
		return OutboundCallFlow{}, false
	}
	return *f.Flows.Default, true
}

// InternalCallFeature returns the feature switches and whether they are set.
func (a *API) InternalCallFeature() (InternalCallFeature, bool) {
	var f struct {
		UI struct {
			CustomData struct {
				Features struct {
					InternalCall *InternalCallFeature `json:"internal_call"`
				} `json:"features"`
			} `json:"custom_data"`
		} `json:"ui_attributes"`
	}
	if !decodeConfig(a.Configuration(), &f) || f.UI.CustomData.Features.InternalCall == nil {
		return InternalCallFeature{}, false
	}
	return *f.UI.CustomData.Features.InternalCall, true
}

// decodeConfig decodes the configuration into a typed view; a key of the wrong
// JSON type (an operator's mistake) reads as absent.
func decodeConfig(cfg map[string]any, v any) bool {
	b, err := json.Marshal(cfg)
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}
