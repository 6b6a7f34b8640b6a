package call

import (
	"strings"
	"testing"
)

func TestValidSID(t *testing.T) {
	good := "WT" + strings.Repeat("0a", 16)
	cases := map[string]bool{
		good:                            true,
		"WT" + strings.Repeat("AB", 16): true,
		"WT" + strings.Repeat("0", 31):  false,
		"WT" + strings.Repeat("0", 33):  false,
		"WK" + strings.Repeat("0", 32):  false,
		"WT" + strings.Repeat("g", 32):  false,
		"":                              false,
	}
	for s, want := range cases {
		if got := ValidSID(PrefixTask, s); got != want {
			t.Errorf("ValidSID(%q) = %v", s, got)
		}
	}
	if err := CheckSID("taskSid", PrefixTask, ""); err == nil || !strings.Contains(err.Error(), "taskSid is missing") {
		t.Errorf("missing SID error: %v", err)
	}
	if err := CheckSID("taskSid", PrefixTask, "WT1"); err == nil || !strings.Contains(err.Error(), "32 hex") {
		t.Errorf("short SID error: %v", err)
	}
}

func TestURLs(t *testing.T) {
	if got := CallerTwiMLURL("https://ic.example.com/", "WTx"); got != "https://ic.example.com/twiml/caller?taskSid=WTx" {
		t.Errorf("CallerTwiMLURL = %s", got)
	}
	if got := CalleeTwiMLURL("https://ic.example.com/base", "WT a", "", ""); got != "https://ic.example.com/base/twiml/callee?taskSid=WT%20a" {
		t.Errorf("CalleeTwiMLURL = %s", got)
	}
	if got := CalleeTwiMLURL("https://ic.example.com", "WTb", "WTa", "CFc"); got != "https://ic.example.com/twiml/callee?taskSid=WTb&callerTaskSid=WTa&conferenceSid=CFc" {
		t.Errorf("CalleeTwiMLURL with hints = %s", got)
	}
	if got := CallActionURL("https://ic.example.com", "WTx", ActionHold); got != "https://ic.example.com/api/calls/WTx/hold" {
		t.Errorf("CallActionURL = %s", got)
	}
}

func TestStatusFinal(t *testing.T) {
	for _, s := range []Status{StatusEnded, StatusDeclined, StatusNoAnswer, StatusCanceled, StatusFailed} {
		if !s.Final() || !s.Valid() {
			t.Errorf("%s should be final and valid", s)
		}
	}
	for _, s := range []Status{StatusInitiated, StatusRinging, StatusConnected} {
		if s.Final() || !s.Valid() {
			t.Errorf("%s should be valid and not final", s)
		}
	}
	if Status("bogus").Valid() {
		t.Error("bogus status valid")
	}
}
