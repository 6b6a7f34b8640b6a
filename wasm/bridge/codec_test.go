//go:build js && wasm

package main

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// The bridge writes frameproto messages and task attributes without
// encoding/json; they must decode exactly like the reference encoders'.
func sameJSON(t *testing.T, name, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: invalid JSON %s: %v", name, got, err)
	}
	_ = json.Unmarshal([]byte(want), &w)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s\n got %s\nwant %s", name, got, want)
	}
}

func TestCodecMatchesFrameproto(t *testing.T) {
	n := 3
	weird := "Zoë \"Z\" <z>&\u2028\n\t\\ 内部"
	for name, c := range map[string]struct {
		got string
		t   frameproto.Type
		p   any
	}{
		"init": {encodeInit(frameproto.Init{Theme: "dark", Language: "th", Features: frameproto.Features{CallAgent: true}, SelfWorkerSid: "WK1"}), frameproto.TypeInit,
			frameproto.Init{Theme: "dark", Language: "th", Features: frameproto.Features{CallAgent: true}, SelfWorkerSid: "WK1"}},
		"directory": {encodeDirectory(frameproto.Directory{Workers: []frameproto.Worker{{WorkerSid: "WK1", FullName: weird, FriendlyName: "z", ContactURI: "client:z", ActivityName: "Available", Availability: frameproto.Available}, {WorkerSid: "WK2", FriendlyName: "y"}}}), frameproto.TypeDirectory,
			frameproto.Directory{Workers: []frameproto.Worker{{WorkerSid: "WK1", FullName: weird, FriendlyName: "z", ContactURI: "client:z", ActivityName: "Available", Availability: frameproto.Available}, {WorkerSid: "WK2", FriendlyName: "y"}}}},
		"empty directory": {encodeDirectory(frameproto.Directory{}), frameproto.TypeDirectory, frameproto.Directory{Workers: []frameproto.Worker{}}},
		"queues":          {encodeQueues(frameproto.Queues{Queues: []frameproto.Queue{{Name: "Sales", FriendlyName: weird, AvailableAgents: &n}}, Error: "x"}), frameproto.TypeQueues, frameproto.Queues{Queues: []frameproto.Queue{{Name: "Sales", FriendlyName: weird, AvailableAgents: &n}}, Error: "x"}},
		"no queues":       {encodeQueues(frameproto.Queues{Queues: []frameproto.Queue{}}), frameproto.TypeQueues, frameproto.Queues{Queues: []frameproto.Queue{}}},
		"call-status":     {encodeCallStatus(frameproto.CallStatus{Status: "failed", PeerName: weird, Reason: "busy"}), frameproto.TypeCallStatus, frameproto.CallStatus{Status: "failed", PeerName: weird, Reason: "busy"}},
	} {
		want, err := frameproto.Encode(c.t, c.p)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, name, c.got, want)
		if _, ok := frameproto.Decode(c.got); !ok {
			t.Errorf("%s: frameproto does not accept %s", name, c.got)
		}
	}
}

func TestDecodeMessage(t *testing.T) {
	loadStub.Do(func() {}) // JSON.parse is all this needs
	msg, _ := frameproto.Encode(frameproto.TypePlaceCall, frameproto.PlaceCall{Kind: "queue", QueueName: "Sales", Name: "Sales"})
	typ, p, ok := decodeMessage(msg)
	if !ok || typ != frameproto.TypePlaceCall || decodePlaceCall(p) != (frameproto.PlaceCall{Kind: "queue", QueueName: "Sales", Name: "Sales"}) {
		t.Fatalf("decoded %v %v", typ, ok)
	}
	h, _ := frameproto.Encode(frameproto.TypeHeight, frameproto.Height{Px: 42})
	if _, p, _ := decodeMessage(h); true {
		if px, ok := decodeHeight(p); !ok || px != 42 {
			t.Errorf("height %d %v", px, ok)
		}
	}
	for _, s := range []string{`{"type":"x"}`, `{"ns":"flex-internal-call","v":"1","type":"ready"}`, `{"ns":"flex-internal-call","v":1}`, `[]`, `nope`, `null`} {
		if _, _, ok := decodeMessage(s); ok {
			t.Errorf("accepted %s", s)
		}
	}
}

func TestAttributesJSONMatchesCall(t *testing.T) {
	alice := call.Caller{ContactURI: "client:alice", Name: "Alice \"A\" <x>"}
	for _, target := range []call.Target{
		{Kind: call.TargetAgent, ContactURI: "client:bob", Name: "Bob"},
		{Kind: call.TargetQueue, QueueName: "Sales", Name: "Sales"},
	} {
		a := call.CallerAttributes(alice, target)
		sameJSON(t, string(target.Kind), attributesJSON(a), a.String())
	}
}
