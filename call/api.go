package call

// The browser API contract: what the bridge and the dialpad send to the
// server's /api routes and what they get back. The server, the bridge and
// the dialpad all use these names, so the three cannot drift apart.

// FlexTokenHeader carries the agent's Flex token (manager.user.token) on every
// browser call to the server's /api routes.
const FlexTokenHeader = "X-Flex-JWE"

// APIError is the JSON body of every /api answer other than 2xx. Message is
// written for the agent; Code is stable for programs (see the Code constants).
type APIError struct {
	Message string `json:"error"`
	Status  int    `json:"status"`
	Code    Code   `json:"code,omitempty"`
}

// APIOK is the JSON body of a successful call action.
type APIOK struct {
	Status string `json:"status"` // always "ok"
}

// APIQueues is the JSON body of GET /api/queues.
type APIQueues struct {
	Queues []Queue `json:"queues"`
}

// Queue is a queue agents can call: the Internal Call workflow routes tasks
// whose callToQueue equals Name to the task queue QueueSid.
type Queue struct {
	Name         string `json:"name"`
	QueueSid     string `json:"queue_sid"`
	FriendlyName string `json:"friendly_name"`
}
