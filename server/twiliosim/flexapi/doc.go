// Package flexapi simulates the Flex v1 API (flex-api.twilio.com): the account's
// Flex Configuration, which the product reads for outbound_call_flows and the
// internal-call feature switches, and the Plugins API a deploy script uses to
// publish the plugin shim (plugins, versions, configurations, releases).
//
// Responses decode into twilio-go's rest/flex/v1 structs.
package flexapi
