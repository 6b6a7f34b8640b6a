package frameproto

import (
	"testing"
)

// Whatever another frame or script posts, decoding never panics, only our
// namespace and version are accepted, and every payload type decodes into its
// struct or fails cleanly.
func FuzzDecode(f *testing.F) {
	for _, m := range []struct {
		t Type
		p any
	}{{"init", Init{Theme: "dark", Language: "es-MX"}}, {"directory", Directory{Workers: []Worker{{WorkerSid: "WK1", FriendlyName: "bob"}}}},
		{"place-call", PlaceCall{}}, {"height", Height{}}, {"queues", Queues{}}} {
		s, err := Encode(m.t, m.p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(s)
	}
	f.Add(`{"ns":"other","v":1,"type":"init"}`)
	f.Add(`"just a string"`)
	f.Fuzz(func(t *testing.T, data string) {
		e, ok := Decode(data)
		if !ok {
			return
		}
		if e.NS != Namespace || e.V != Version || e.Type == "" {
			t.Fatalf("accepted a foreign message: %+v", e)
		}
		for _, v := range []any{&Init{}, &Directory{}, &Queues{}, &CallStatus{}, &Height{}, &PlaceCall{}} {
			_ = e.Into(v)
		}
	})
}
