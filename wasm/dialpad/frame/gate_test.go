package frame

import (
	"slices"
	"testing"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

func enc(t *testing.T, typ frameproto.Type, p any) string {
	t.Helper()
	s, err := frameproto.Encode(typ, p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGate(t *testing.T) {
	const flex, other = "https://flex.twilio.com", "https://flex.example.com"
	g := NewGate(ParseOrigins(" https://flex.twilio.com  https://flex.example.com/ * null"))
	init := enc(t, frameproto.TypeInit, frameproto.Init{Theme: "dark"})
	dir := enc(t, frameproto.TypeDirectory, frameproto.Directory{})

	if got := g.Targets(frameproto.TypeReady); !slices.Equal(got, []string{flex, other}) {
		t.Fatalf("ready before init goes to %q", got)
	}
	if got := g.Targets(frameproto.TypeHeight); got != nil {
		t.Fatalf("height before init goes to %q", got)
	}
	for name, c := range map[string]struct {
		origin     string
		fromParent bool
		data       string
	}{
		"not the parent":      {flex, false, init},
		"foreign origin":      {"https://evil.example", true, init},
		"directory first":     {flex, true, dir},
		"frame message":       {flex, true, enc(t, frameproto.TypeReady, nil)},
		"foreign namespace":   {flex, true, `{"ns":"x","v":1,"type":"init","payload":{}}`},
		"init without object": {flex, true, `{"ns":"flex-internal-call","v":1,"type":"init"}`},
	} {
		if _, ok := g.Accept(c.origin, c.fromParent, c.data); ok {
			t.Errorf("%s: accepted", name)
		}
	}
	if g.Pinned() != "" {
		t.Fatal("pinned by a rejected message")
	}
	if env, ok := g.Accept(other, true, init); !ok || env.Type != frameproto.TypeInit || g.Pinned() != other {
		t.Fatalf("valid init refused (%v) or not pinned (%q)", ok, g.Pinned())
	}
	if _, ok := g.Accept(flex, true, dir); ok {
		t.Error("another allowed origin heard after pinning")
	}
	if _, ok := g.Accept(other, true, dir); !ok {
		t.Error("pinned origin not heard")
	}
	if _, ok := g.Accept(other, true, enc(t, frameproto.TypeMissedCalls, frameproto.MissedCalls{})); !ok {
		t.Error("missed calls not heard")
	}
	if got := g.Targets(frameproto.TypePlaceCall); !slices.Equal(got, []string{other}) {
		t.Errorf("after init posts go to %q", got)
	}
}

// When the browser tells the frame its parent's origin, ready goes there
// only: posting it to the other allowed origins logs a console warning for
// each (the demo allows hosted Flex besides itself). A parent that is not
// allowed gets nothing; unknown (no ancestorOrigins, no referrer), ready
// goes to every allowed origin as before.
func TestGateReadyGoesOnlyToTheParentWhenKnown(t *testing.T) {
	const flex, demo = "https://flex.twilio.com", "http://localhost:8080"
	for name, c := range map[string]struct {
		parent string
		want   []string
	}{
		"the demo frames it":    {demo, []string{demo}},
		"hosted Flex frames it": {flex + "/", []string{flex}},
		"another page":          {"https://evil.example", nil},
		"unknown":               {"", []string{flex, demo}},
	} {
		g := NewGate([]string{flex, demo})
		g.SetParentOrigin(c.parent)
		if got := g.Targets(frameproto.TypeReady); !slices.Equal(got, c.want) {
			t.Errorf("%s: ready goes to %q, want %q", name, got, c.want)
		}
	}
}

// Every host→frame message of the protocol passes the gate once pinned; a
// frame message (the panel's own api-request) coming back does not.
func TestGateAcceptsEveryHostMessage(t *testing.T) {
	g := NewGate([]string{"https://flex.twilio.com"})
	init, _ := frameproto.Encode(frameproto.TypeInit, frameproto.Init{TaskSid: "WT1"})
	if _, ok := g.Accept("https://flex.twilio.com", true, init); !ok {
		t.Fatal("init refused")
	}
	for _, typ := range []frameproto.Type{frameproto.TypeDirectory, frameproto.TypeQueues, frameproto.TypeCallStatus,
		frameproto.TypeMissedCalls, frameproto.TypeAPIAnswer, frameproto.TypeCallChanged} {
		msg, _ := frameproto.Encode(typ, struct{}{})
		if _, ok := g.Accept("https://flex.twilio.com", true, msg); !ok {
			t.Errorf("%s refused", typ)
		}
	}
	msg, _ := frameproto.Encode(frameproto.TypeAPIRequest, frameproto.APIRequest{ID: 1, Method: "GET", Path: "/participants"})
	if _, ok := g.Accept("https://flex.twilio.com", true, msg); ok {
		t.Error("a frame message accepted from the host")
	}
}
