// Package twiliosim is a stateful stand-in for the Twilio APIs Flex Internal Call
// uses: TaskRouter, Voice (API 2010), Flex and IAM, plus the side a simulated
// agent's browser uses. `make run` serves the product on it when no Twilio
// credentials are set, and every test runs against it.
//
// Layout: one package per Twilio product (taskrouter, voice, flexapi, iam), the
// simulated agents (agents), the request contract checked against Twilio's
// OpenAPI documents (contract), fault injection (faults), and shared REST
// plumbing (rest, twiliosig). This package wires them together.
package twiliosim
