package call

import (
	"encoding/json"
	"testing"
)

// The missed-call list is read from and written into a worker's attributes
// without touching the other attributes; a list someone wrote badly starts
// afresh instead of blocking the missed calls to come.
func TestMissedCallsInWorkerAttributes(t *testing.T) {
	list, attrs, err := MissedCalls(`{"contact_uri":"client:bob","routing":{"skills":["sales"]},"missed_calls":[{"id":"WT1","from":"client:alice","from_name":"Alice","from_worker_sid":"WK1","at":5}]}`)
	if err != nil || len(list) != 1 || list[0] != (MissedCall{ID: "WT1", From: "client:alice", FromName: "Alice", FromWorkerSid: "WK1", At: 5}) {
		t.Fatalf("read %+v, %v", list, err)
	}
	out, err := WithMissedCalls(attrs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal([]byte(out), &got)
	if b, _ := json.Marshal(got); string(b) != `{"contact_uri":"client:bob","missed_calls":[],"routing":{"skills":["sales"]}}` {
		t.Errorf("written %s", b)
	}
	if list, _, err := MissedCalls(`{"missed_calls":"garbage"}`); err != nil || list != nil {
		t.Errorf("a bad list: %+v, %v", list, err)
	}
	if _, _, err := MissedCalls(`[1]`); err == nil {
		t.Error("attributes that are not an object accepted")
	}
}

func TestWorkerNameAndContact(t *testing.T) {
	w := Worker{FriendlyName: "bob", Attributes: `{"full_name":"Bob Baker","contact_uri":"client:bob"}`}
	if w.Name() != "Bob Baker" || w.ContactURI() != "client:bob" {
		t.Errorf("%q %q", w.Name(), w.ContactURI())
	}
	if w := (Worker{FriendlyName: "bob", Attributes: `{}`}); w.Name() != "bob" || w.ContactURI() != "" {
		t.Errorf("fallbacks %q %q", w.Name(), w.ContactURI())
	}
}
