// Package e2e holds the end-to-end tests: the whole server on the Twilio
// simulator, and agent desktops (the Flex stand-in at /demo/agent running the
// real plugin) in headless Chromium, one browser context per agent. They need
// Chromium and the built browser assets, and run with the e2e build tag:
//
//	make e2e
//
// E2E=0 skips them; E2E_TIMING=1 also prints how long a call takes from the
// click on Call to both legs connected.
package e2e
