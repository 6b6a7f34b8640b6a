// Package contract checks every REST request the simulator receives against
// Twilio's official OpenAPI documents (vendored in spec/, MIT), so the simulated
// APIs cannot drift from what twilio-go and the real Twilio accept.
//
// The simulator serves each product under a path prefix (/taskrouter, /api,
// /flex-api); the prefix selects the document and the request is routed as if it
// had gone to the real host. Twilio publishes no document for IAM, so requests
// under /iam — and any path outside the three validated prefixes — pass
// unvalidated.
//
// A request for an operation the documents do not have gets Twilio's 404 (code
// 20404); a request that breaks the operation's parameters or form body gets a
// 400 (code 20001) naming the parameter. Optionally, a ResponseChecker also
// validates the simulator's own JSON answers and records what does not match.
package contract
