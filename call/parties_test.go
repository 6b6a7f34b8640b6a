package call

import "testing"

func TestIsPartyLabel(t *testing.T) {
	for l, want := range map[string]bool{
		"transfer-1": true, "external-12": true, "caller": false, "callee": false,
		"transfer-0": false, "transfer-01": false, "transfer-": false, "external-x": false, "transfer-1 ": false,
	} {
		if IsPartyLabel(l) != want {
			t.Errorf("IsPartyLabel(%q) != %v", l, want)
		}
	}
}

func TestMaskNumber(t *testing.T) {
	for n, want := range map[string]string{"+15557654321": "•••4321", "+44": "•••", "": "•••"} {
		if got := MaskNumber(n); got != want {
			t.Errorf("MaskNumber(%q) = %q, want %q", n, got, want)
		}
	}
}

func TestCallURL(t *testing.T) {
	if got := CallURL("https://ic.example.com/", "WTx", PathTransferComplete); got != "https://ic.example.com/api/calls/WTx/transfer/complete" {
		t.Errorf("CallURL = %s", got)
	}
	if got := CallURL("https://ic.example.com", "WTx", PathParticipants+"/external-1"); got != "https://ic.example.com/api/calls/WTx/participants/external-1" {
		t.Errorf("CallURL = %s", got)
	}
}
