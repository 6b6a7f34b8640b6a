//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// The frameproto wire format without encoding/json: messages are frameproto's
// types turned into JavaScript objects by their json tags (jscodec.go) and
// written by JSON.stringify; posted strings are read with JSON.parse. A test
// checks both encodings agree.

// encode is frameproto.Encode: the envelope of type t around payload (nil
// for none).
func encode(t frameproto.Type, payload any) string {
	if payload == nil {
		return encodeJS(t, undefined)
	}
	return encodeJS(t, toJS(payload))
}

// encodeJS is encode for a payload already made a JavaScript value.
func encodeJS(t frameproto.Type, payload jsv) string {
	// Envelope.Payload is JSON text (json.RawMessage), left empty here: the
	// payload goes in as an object.
	e := toJS(frameproto.Envelope{NS: frameproto.Namespace, V: frameproto.Version, Type: t})
	if !payload.IsUndefined() {
		_ = e.Set("payload", payload)
	}
	return jsonString(e)
}

// eventMessage is decodeMessage of a message event's data, which must be a
// string.
func eventMessage(ev jsv) (t frameproto.Type, payload jsv, ok bool) {
	data := get(ev, "data")
	if data.Type() != safejs.TypeString {
		return "", undefined, false
	}
	s, _ := data.String()
	return decodeMessage(s)
}

// decodeMessage parses a posted string; ok is false for anything that is not
// one of our messages of this protocol version.
func decodeMessage(s string) (t frameproto.Type, payload jsv, ok bool) {
	j, _ := safejs.Global().Get("JSON")
	v, err := j.Call("parse", s)
	if err != nil || !isObject(v) {
		return "", undefined, false
	}
	ver := get(v, "v")
	if str(v, "ns") != frameproto.Namespace || ver.Type() != safejs.TypeNumber {
		return "", undefined, false
	}
	if n, _ := ver.Float(); n != frameproto.Version {
		return "", undefined, false
	}
	t = frameproto.Type(str(v, "type"))
	return t, get(v, "payload"), t != ""
}

func decodePlaceCall(p jsv) frameproto.PlaceCall {
	var pc frameproto.PlaceCall
	fromJS(p, &pc)
	return pc
}

func decodeHeight(p jsv) (int, bool) {
	v := get(p, "px")
	if v.Type() != safejs.TypeNumber {
		return 0, false
	}
	f, _ := v.Float()
	if f != f { // NaN
		return 0, false
	}
	return int(f), true
}
