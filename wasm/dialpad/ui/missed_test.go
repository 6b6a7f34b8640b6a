package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

func sentOf(port interface{ Sent() []frameproto.Envelope }, typ frameproto.Type) []frameproto.Envelope {
	var out []frameproto.Envelope
	for _, env := range port.Sent() {
		if env.Type == typ {
			out = append(out, env)
		}
	}
	return out
}

// A missed call shows in the dialpad with who and when; Call back places the
// call to the caller in one click and removes the entry, Dismiss removes it.
func TestMissedCallsCallBackAndDismiss(t *testing.T) {
	d, port, e := mount(t)
	receive(t, port, e, frameproto.TypeInit, frameproto.Init{Language: "en-US", Features: both, SelfWorkerSid: "WKme"})
	at := time.Date(2026, 12, 1, 14, 2, 0, 0, time.Local).Unix()
	receive(t, port, e, frameproto.TypeMissedCalls, frameproto.MissedCalls{MissedCalls: []frameproto.MissedCall{
		{ID: "WT1", From: "client:alice", FromName: "Alice Andrews", FromWorkerSid: "WKalice", At: at},
		{ID: "WT2", From: "client:carol", FromName: "Carol <b>", FromWorkerSid: "WKcarol", At: at},
	}})
	h := html(d)
	for _, want := range []string{"Missed call from Alice Andrews, 14:02", `aria-label="Call back Alice Andrews"`, ">Call back</button>",
		`aria-label="Dismiss the missed call from Alice Andrews"`, "Carol &lt;b&gt;", `aria-label="Missed calls"`} {
		if !strings.Contains(h, want) {
			t.Errorf("lacks %s:\n%s", want, h)
		}
	}

	d.Do(func(d *Dialpad) { d.callBack("WT1") })
	e.ConsumeAll()
	calls := sentOf(port, frameproto.TypePlaceCall)
	var p frameproto.PlaceCall
	if len(calls) != 1 || calls[0].Into(&p) != nil || p != (frameproto.PlaceCall{Kind: "agent", WorkerSid: "WKalice", ContactURI: "client:alice", Name: "Alice Andrews"}) {
		t.Fatalf("place-call %+v", p)
	}
	var dm frameproto.DismissMissed
	if ds := sentOf(port, frameproto.TypeDismissMissed); len(ds) != 1 || ds[0].Into(&dm) != nil || dm.ID != "WT1" {
		t.Fatalf("dismiss-missed %+v", ds)
	}
	h = html(d)
	if strings.Contains(h, "Alice Andrews, 14:02") || !strings.Contains(h, "Placing the call…") {
		t.Errorf("after Call back:\n%s", h)
	}
	// While that call is placed, the other entry cannot be called back.
	d.Do(func(d *Dialpad) { d.callBack("WT2") })
	e.ConsumeAll()
	if n := len(sentOf(port, frameproto.TypePlaceCall)); n != 1 {
		t.Errorf("%d calls placed during a call", n)
	}
	h = html(d)
	missed := h[strings.Index(h, `id="missed"`):]
	missed = missed[:strings.Index(missed, "</section>")]
	if !strings.Contains(missed, `class="missed-callback call-button-disabled"`) || !has(missed, `aria-disabled="true"`) {
		t.Errorf("Call back not shown off during a call:\n%s", missed)
	}
	d.Do(func(d *Dialpad) { d.dismiss("WT2") })
	e.ConsumeAll()
	if ds := sentOf(port, frameproto.TypeDismissMissed); len(ds) != 2 || ds[1].Into(&dm) != nil || dm.ID != "WT2" {
		t.Fatalf("dismiss-missed %+v", ds)
	}
	if strings.Contains(html(d), `id="missed"`) {
		t.Error("the list stays when empty")
	}
}
