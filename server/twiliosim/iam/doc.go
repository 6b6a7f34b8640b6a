// Package iam simulates the part of Twilio IAM that Flex tokens go through: it
// issues the tokens simulated agents hold (Flex's manager.user.token) and answers
// POST /v1/Accounts/{AccountSid}/Tokens/validate as iam.twilio.com does, the call
// twilio-flex-token-validator and the product's server make.
//
// Tokens are opaque random strings rather than real JWEs: only this package can
// read them, which is all a validator needs.
package iam
