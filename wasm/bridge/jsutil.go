//go:build js && wasm

package main

import (
	"errors"
	"strings"

	"github.com/hack-pad/safejs"
)

// jsv is a JavaScript value; every access goes through safejs, so a missing
// property or a throwing getter is an error, never a panic.
type jsv = safejs.Value

var undefined = safejs.Undefined()

// get walks a property path; any missing step yields undefined.
func get(v jsv, keys ...string) jsv {
	for _, k := range keys {
		if !isObject(v) {
			return undefined
		}
		next, err := v.Get(k)
		if err != nil {
			return undefined
		}
		v = next
	}
	return v
}

func isObject(v jsv) bool {
	t := v.Type()
	return t == safejs.TypeObject || t == safejs.TypeFunction
}

func isFunc(v jsv) bool { return v.Type() == safejs.TypeFunction }

// str is the string at the path, "" when it is not a string.
func str(v jsv, keys ...string) string {
	p := get(v, keys...)
	if p.Type() != safejs.TypeString {
		return ""
	}
	s, _ := p.String()
	return s
}

// isTrue reports whether the value at the path is the boolean true.
func isTrue(v jsv, keys ...string) bool {
	p := get(v, keys...)
	if p.Type() != safejs.TypeBoolean {
		return false
	}
	b, _ := p.Bool()
	return b
}

// boolOr is the boolean at the path, or def when it is not a boolean.
func boolOr(v jsv, def bool, keys ...string) bool {
	p := get(v, keys...)
	if p.Type() != safejs.TypeBoolean {
		return def
	}
	b, _ := p.Bool()
	return b
}

// newObject builds a plain object from alternating keys and values.
func newObject(kv ...any) jsv {
	ctor, _ := safejs.Global().Get("Object")
	o, _ := ctor.New()
	for i := 0; i+1 < len(kv); i += 2 {
		_ = o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// newArray builds an empty array.
func newArray() jsv {
	ctor, _ := safejs.Global().Get("Array")
	a, _ := ctor.New()
	return a
}

// newError builds a JavaScript Error.
func newError(msg string) jsv {
	ctor, _ := safejs.Global().Get("Error")
	e, err := ctor.New(msg)
	if err != nil {
		v, _ := safejs.ValueOf(msg)
		return v
	}
	return e
}

// errorText is the message of a JavaScript rejection or exception value.
func errorText(v jsv) string {
	if m := str(v, "message"); m != "" {
		return m
	}
	if v.Type() == safejs.TypeString {
		s, _ := v.String()
		return s
	}
	s, err := v.String()
	if err != nil {
		return "unknown error"
	}
	return s
}

// cleanErr strips the stack safejs appends to errors of throwing JS calls.
func cleanErr(err error) string {
	if err == nil {
		return ""
	}
	var je interface{ Error() string }
	if errors.As(err, &je) {
		s := je.Error()
		if i := strings.Index(s, "\n"); i > 0 {
			s = s[:i]
		}
		return strings.TrimPrefix(s, "JavaScript error: ")
	}
	return err.Error()
}

// jsonString is JSON.stringify(v), "" on failure.
func jsonString(v jsv) string {
	j, _ := safejs.Global().Get("JSON")
	s, err := j.Call("stringify", v)
	if err != nil || s.Type() != safejs.TypeString {
		return ""
	}
	out, _ := s.String()
	return out
}

// forEach calls fn for each value of a Map, an array or an object's own keys.
func forEach(v jsv, fn func(key string, value jsv)) {
	if !isObject(v) {
		return
	}
	if isFunc(get(v, "forEach")) && !isArray(v) {
		// Map.prototype.forEach(value, key)
		cb, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
			if len(args) >= 2 {
				k, _ := args[1].String()
				fn(k, args[0])
			}
			return nil
		})
		if err != nil {
			return
		}
		_, _ = v.Call("forEach", cb)
		cb.Release()
		return
	}
	if isArray(v) {
		n, _ := v.Length()
		for i := 0; i < n; i++ {
			item, _ := v.Index(i)
			fn("", item)
		}
		return
	}
	obj, _ := safejs.Global().Get("Object")
	keys, err := obj.Call("keys", v)
	if err != nil {
		return
	}
	n, _ := keys.Length()
	for i := 0; i < n; i++ {
		k, _ := keys.Index(i)
		ks, _ := k.String()
		item, _ := v.Get(ks)
		fn(ks, item)
	}
}

func isArray(v jsv) bool {
	arr, _ := safejs.Global().Get("Array")
	r, err := arr.Call("isArray", v)
	if err != nil {
		return false
	}
	b, _ := r.Bool()
	return b
}
