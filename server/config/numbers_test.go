package config

import (
	"strings"
	"testing"
)

func TestExternalNumberPattern(t *testing.T) {
	base := map[string]string{"TWILIO_ACCOUNT_SID": acct, "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FLEX_WORKSPACE_SID": ws, "PUBLIC_BASE_URL": "https://ic.example.com"}
	c, err := Load(envOf(base))
	if err != nil {
		t.Fatal(err)
	}
	if c.ExternalNumbers != nil {
		t.Errorf("unset: numbers allowed by %v", c.ExternalNumbers)
	}
	base["EXTERNAL_NUMBER_PATTERN"] = `\+1555\d{7}|\+4420\d{8}`
	if c, err = Load(envOf(base)); err != nil {
		t.Fatal(err)
	}
	// The whole number must match, whichever alternative.
	for n, want := range map[string]bool{"+15557654321": true, "+442012345678": true, "+155576543210": false, "x+15557654321": false, "+4420123": false} {
		if got := c.ExternalNumbers.MatchString(n); got != want {
			t.Errorf("%s allowed: %v, want %v", n, got, want)
		}
	}
	base["EXTERNAL_NUMBER_PATTERN"] = `\+1(555`
	if _, err := Load(envOf(base)); err == nil || !strings.Contains(err.Error(), "EXTERNAL_NUMBER_PATTERN") {
		t.Errorf("a bad pattern: %v", err)
	}
}
