package frameproto

import (
	"encoding/json"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

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

// The bridge forwards the server's missed-call list as it is: frameproto's
// MissedCall reads call.MissedCall's JSON field for field.
func TestMissedCallIsTheServersJSON(t *testing.T) {
	in := call.MissedCall{ID: "WT1", From: "client:alice", FromName: "Alice", FromWorkerSid: "WK1", At: 1700000000}
	b, _ := json.Marshal(in)
	var out MissedCall
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != (MissedCall{ID: in.ID, From: in.From, FromName: in.FromName, FromWorkerSid: in.FromWorkerSid, At: in.At}) {
		t.Errorf("%s read as %+v", b, out)
	}
	back, _ := json.Marshal(out)
	if string(back) != string(b) {
		t.Errorf("%s written back as %s", b, back)
	}
}
