// Package call is the internal-call model shared by the server and the browser side:
// the task attribute schema Flex and TaskRouter see, the target kinds, the call
// statuses, SID rules and the URLs of the TwiML endpoints.
//
// It imports nothing outside the standard library so that it builds for
// GOOS=js GOARCH=wasm as well as for the server.
package call
