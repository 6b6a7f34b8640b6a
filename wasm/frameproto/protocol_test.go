package frameproto

import "testing"

func TestRoundTripAndForeignMessages(t *testing.T) {
	s, err := Encode(TypePlaceCall, PlaceCall{Kind: "agent", WorkerSid: "WK1", Name: "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	e, ok := Decode(s)
	if !ok || e.Type != TypePlaceCall {
		t.Fatalf("own message not decoded: %s", s)
	}
	var p PlaceCall
	if err := e.Into(&p); err != nil || p.WorkerSid != "WK1" {
		t.Fatalf("payload %+v %v", p, err)
	}
	for _, foreign := range []string{
		`{"type":"flex-ui-event"}`,
		`{"ns":"flex-internal-call","v":2,"type":"ready"}`,
		`{"ns":"other","v":1,"type":"ready"}`,
		`not json`,
	} {
		if _, ok := Decode(foreign); ok {
			t.Errorf("foreign message accepted: %s", foreign)
		}
	}
	if err := (Envelope{Type: TypeInit}).Into(&Init{}); err == nil {
		t.Error("missing payload accepted")
	}
	if (Worker{FriendlyName: "erin"}).DisplayName() != "erin" {
		t.Error("worker without full_name has no display name")
	}
}
