//go:build js && wasm

package main

import "strconv"

// A tiny JSON writer: the bridge builds the few documents it sends (frame
// messages, task attributes) without encoding/json, which would add about
// 120 KB (brotli) to bridge.wasm. JSON it receives is parsed by the browser's
// JSON.parse and read through safejs.

type jw struct {
	b     []byte
	first []bool // per open object/array: no member written yet
}

func (w *jw) sep() {
	if n := len(w.first); n > 0 {
		if !w.first[n-1] {
			w.b = append(w.b, ',')
		}
		w.first[n-1] = false
	}
}

func (w *jw) open(c byte)  { w.b = append(w.b, c); w.first = append(w.first, true) }
func (w *jw) close(c byte) { w.b = append(w.b, c); w.first = w.first[:len(w.first)-1] }

// obj opens an object as a value (top level or array element).
func (w *jw) obj() *jw { w.sep(); w.open('{'); return w }

// key writes a member name and opens an object as its value.
func (w *jw) keyObj(k string) *jw { w.name(k); w.open('{'); return w }

// keyArr writes a member name and opens an array as its value.
func (w *jw) keyArr(k string) *jw { w.name(k); w.open('['); return w }

func (w *jw) end() *jw    { w.close('}'); return w }
func (w *jw) endArr() *jw { w.close(']'); return w }

func (w *jw) name(k string) {
	w.sep()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
	// the value that follows must not write a separator
	if n := len(w.first); n > 0 {
		w.first[n-1] = false
	}
}

func (w *jw) str(k, v string) *jw { w.name(k); w.b = appendJSONString(w.b, v); return w }
func (w *jw) num(k string, v int) *jw {
	w.name(k)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
	return w
}
func (w *jw) boolean(k string, v bool) *jw {
	w.name(k)
	w.b = strconv.AppendBool(w.b, v)
	return w
}

// strOmit writes a string member unless it is empty (json ",omitempty").
func (w *jw) strOmit(k, v string) *jw {
	if v != "" {
		w.str(k, v)
	}
	return w
}

func (w *jw) String() string { return string(w.b) }

// appendJSONString quotes s as a JSON string, escaping what JSON requires
// plus <, >, & and U+2028/U+2029, like encoding/json.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		case r == 0xfffd:
			b = append(b, "\ufffd"...)
		default:
			b = append(b, string(r)...)
		}
	}
	return append(b, '"')
}
