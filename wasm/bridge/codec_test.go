//go:build js && wasm

package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"syscall/js"
	"testing"

	"github.com/hack-pad/safejs"

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
	loadStub.Do(func() {}) // JSON.stringify is all this needs
	n := 3
	weird := "Zoë \"Z\" <z>&\u2028\n\t\\ 内部"
	for name, c := range map[string]struct {
		t frameproto.Type
		p any
	}{
		"init":            {frameproto.TypeInit, frameproto.Init{Theme: "dark", Language: "th", Features: frameproto.Features{CallAgent: true}, SelfWorkerSid: "WK1"}},
		"directory":       {frameproto.TypeDirectory, frameproto.Directory{Workers: []frameproto.Worker{{WorkerSid: "WK1", FullName: weird, FriendlyName: "z", ContactURI: "client:z", ActivityName: "Available", Availability: frameproto.Available}, {WorkerSid: "WK2", FriendlyName: "y"}}}},
		"empty directory": {frameproto.TypeDirectory, frameproto.Directory{Workers: []frameproto.Worker{}}},
		"nil directory":   {frameproto.TypeDirectory, frameproto.Directory{}},
		"queues":          {frameproto.TypeQueues, frameproto.Queues{Queues: []frameproto.Queue{{Name: "Sales", FriendlyName: weird, AvailableAgents: &n}, {Name: "Support"}}, Error: "x"}},
		"no queues":       {frameproto.TypeQueues, frameproto.Queues{Queues: []frameproto.Queue{}}},
		"call-status":     {frameproto.TypeCallStatus, frameproto.CallStatus{Status: "failed", PeerName: weird, Reason: "busy"}},
		"ready":           {frameproto.TypeReady, nil},
	} {
		got := encode(c.t, c.p)
		want, err := frameproto.Encode(c.t, c.p)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, name, got, want)
		if _, ok := frameproto.Decode(got); !ok {
			t.Errorf("%s: frameproto does not accept %s", name, got)
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

// The directory message, made of cached per-worker objects, is the one
// frameproto.Encode writes for the same list.
func TestDirectoryMessageMatchesFrameproto(t *testing.T) {
	loadStub.Do(func() {})
	d := &directory{b: &bridge{manager: undefined}, workers: map[string]*dirWorker{}, calls: map[string]string{"WT1": "WK2"}, loaded: true}
	msg, _ := d.message()
	want, _ := frameproto.Encode(frameproto.TypeDirectory, frameproto.Directory{Workers: []frameproto.Worker{}})
	sameJSON(t, "empty", msg, want)
	for _, v := range []string{
		`{worker_sid: "WK1", friendly_name: "zed", activity_name: "Available", attributes: {full_name: "Zoë \"Z\" <z>", contact_uri: "client:z"}}`,
		`{worker_sid: "WK2", friendly_name: "amy", activity_name: "Break", attributes: {contact_uri: "client:a"}}`,
		`{worker_sid: "WK3", friendly_name: "nobody", activity_name: "Available", attributes: {}}`,
	} {
		w := parseWorker(safejs.Safe(js.Global().Call("eval", "("+v+")")))
		d.workers[w.WorkerSid] = w
	}
	msg, _ = d.message()
	// in no particular order: the frame sorts
	e, _ := frameproto.Decode(msg)
	var got frameproto.Directory
	if err := e.Into(&got); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got.Workers, func(a, b frameproto.Worker) int { return strings.Compare(a.WorkerSid, b.WorkerSid) })
	gotMsg, _ := frameproto.Encode(frameproto.TypeDirectory, got)
	want, _ = frameproto.Encode(frameproto.TypeDirectory, frameproto.Directory{Workers: []frameproto.Worker{
		{WorkerSid: "WK1", FullName: "Zoë \"Z\" <z>", FriendlyName: "zed", ContactURI: "client:z", ActivityName: "Available", Availability: frameproto.Available},
		{WorkerSid: "WK2", FriendlyName: "amy", ContactURI: "client:a", ActivityName: "Break", Availability: frameproto.OnCall},
	}})
	sameJSON(t, "two workers", gotMsg, want)
}

// The caller task's attributes go to createTask as the object toJS builds
// from call.CallerAttributes: the JSON of call.Attributes, key for key.
func TestCallerAttributesMatchCall(t *testing.T) {
	loadStub.Do(func() {})
	alice := call.Caller{ContactURI: "client:alice", Name: "Alice \"A\" <x>"}
	for _, target := range []call.Target{
		{Kind: call.TargetAgent, ContactURI: "client:bob", Name: "Bob"},
		{Kind: call.TargetQueue, QueueName: "Sales", Name: "Sales"},
	} {
		a := call.CallerAttributes(alice, target)
		sameJSON(t, string(target.Kind), jsonString(toJS(attributeFields(a))), a.String())
	}
	// every field the type has, set or zero, pointers included
	full := call.Attributes{ClientCall: true, Direction: "outbound", To: "client:bob", Conference: &call.Conference{Sid: "CF1"},
		InternalCall:  &call.InternalCall{Role: call.RoleCaller, Status: call.StatusRinging, Held: call.RoleCallee, Claim: &call.Claim{By: "r1", Since: 1700000000}},
		Conversations: &call.Conversations{}}
	sameJSON(t, "full", jsonString(toJS(attributeFields(full))), full.String())
	sameJSON(t, "zero", jsonString(toJS(attributeFields{})), call.Attributes{}.String())
}

// fromJS reads JSON.parse'd answers into package call's API types.
func TestFromJSReadsTheAPITypes(t *testing.T) {
	loadStub.Do(func() {})
	parse := func(s string) jsv {
		j, _ := safejs.Global().Get("JSON")
		v, err := j.Call("parse", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for in, want := range map[string]call.APIError{
		`{"error":"no such task","status":404,"code":"not_found"}`: {Message: "no such task", Status: 404, Code: call.NotFound},
		`{"error":7,"status":"404","code":null}`:                   {},
		`{"status":404.5}`:                                         {},
		`"oops"`:                                                   {},
		`null`:                                                     {},
	} {
		var got call.APIError
		fromJS(parse(in), &got)
		if got != want {
			t.Errorf("%s: %+v, want %+v", in, got, want)
		}
	}
	var q call.APIQueues
	fromJS(parse(`{"queues":[{"name":"Sales","queue_sid":"WQ1","friendly_name":"Sales team"},{"name":2},"x"]}`), &q)
	if !reflect.DeepEqual(q.Queues, []call.Queue{{Name: "Sales", QueueSid: "WQ1", FriendlyName: "Sales team"}, {}, {}}) {
		t.Errorf("queues %+v", q.Queues)
	}
	for _, in := range []string{`{"queues":[]}`, `{"queues":{}}`, `{}`} {
		var q call.APIQueues
		fromJS(parse(in), &q)
		if (q.Queues != nil) != (in == `{"queues":[]}`) || len(q.Queues) != 0 {
			t.Errorf("%s: %#v (only an array gives a non-nil slice)", in, q.Queues)
		}
	}
}
