//go:build js && wasm

package main

import (
	"math"
	"reflect"
	"strings"

	"github.com/hack-pad/safejs"
)

// Go structs to and from JavaScript values, by the structs' json tags: the
// bridge sends the documents of the shared contracts (package call's task
// attributes and API answers, frameproto's messages) as objects the browser's
// JSON.stringify writes, and reads JSON.parse'd answers back into the same Go
// types. encoding/json would add about 100 KB (brotli) to bridge.wasm; this
// covers what those types use: structs (no embedding), pointers (written
// only), slices, strings, booleans and numbers, with encoding/json's member
// names, "-" and omitempty.

// toJS is v as a JavaScript value, shaped as encoding/json would encode it.
// Kinds outside the list above (maps, []byte, …) become undefined, which
// JSON.stringify leaves out. A type whose methods use encoding/json (such as
// call.Attributes, see attributeFields) must come in converted to a type
// without them, or the linker keeps those methods and encoding/json with them.
func toJS(v any) jsv { return toJSValue(reflect.ValueOf(v)) }

func toJSValue(v reflect.Value) jsv {
	var x any
	switch v.Kind() {
	case reflect.Invalid:
		return safejs.Null()
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return safejs.Null()
		}
		return toJSValue(v.Elem())
	case reflect.Struct:
		obj := newObject()
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			name, omitEmpty, ok := jsonField(t.Field(i))
			if !ok || omitEmpty && isEmptyValue(v.Field(i)) {
				continue
			}
			_ = obj.Set(name, toJSValue(v.Field(i)))
		}
		return obj
	case reflect.Slice:
		if v.IsNil() {
			return safejs.Null()
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return undefined // encoding/json would write base64 or raw JSON
		}
		arr := newArray()
		for i := 0; i < v.Len(); i++ {
			_ = arr.SetIndex(i, toJSValue(v.Index(i)))
		}
		return arr
	case reflect.String:
		x = v.String()
	case reflect.Bool:
		x = v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x = float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x = float64(v.Uint())
	case reflect.Float32, reflect.Float64:
		x = v.Float()
	default:
		return undefined
	}
	out, err := safejs.ValueOf(x)
	if err != nil {
		return undefined
	}
	return out
}

// fromJS fills the struct dst points to from a JavaScript object, by json
// tags. It is lenient like the rest of the bridge's reading: a member that is
// missing or of another JavaScript type leaves its field as it was; numbers
// that do not fit an integer field (fractions, NaN, out of range) too.
func fromJS(v jsv, dst any) { fromJSValue(v, reflect.ValueOf(dst).Elem()) }

func fromJSValue(v jsv, dst reflect.Value) {
	switch dst.Kind() {
	case reflect.Struct:
		if !isObject(v) {
			return
		}
		t := dst.Type()
		for i := 0; i < t.NumField(); i++ {
			if name, _, ok := jsonField(t.Field(i)); ok {
				fromJSValue(get(v, name), dst.Field(i))
			}
		}
	case reflect.Slice:
		if !isArray(v) {
			return
		}
		n, _ := v.Length()
		dst.SetLen(0)
		dst.Grow(max(n, 1)) // an empty array gives an empty slice, not nil
		dst.SetLen(n)
		for i := 0; i < n; i++ {
			item, _ := v.Index(i)
			fromJSValue(item, dst.Index(i))
		}
	case reflect.String:
		if v.Type() == safejs.TypeString {
			s, _ := v.String()
			dst.SetString(s)
		}
	case reflect.Bool:
		if v.Type() == safejs.TypeBoolean {
			b, _ := v.Bool()
			dst.SetBool(b)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if f, ok := number(v); ok && f == math.Trunc(f) && math.Abs(f) < 1<<63 && !dst.OverflowInt(int64(f)) {
			dst.SetInt(int64(f))
		}
	case reflect.Float32, reflect.Float64:
		if f, ok := number(v); ok {
			dst.SetFloat(f)
		}
	}
}

// number is v's value when it is a finite number.
func number(v jsv) (float64, bool) {
	if v.Type() != safejs.TypeNumber {
		return 0, false
	}
	f, err := v.Float()
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// jsonField is a struct field's JSON member name and omitempty option; ok is
// false for fields encoding/json skips (unexported, tagged "-"). The tag is
// read by hand: reflect.StructTag.Get would link strconv's unquoting (~17 KB
// of bridge.wasm).
func jsonField(f reflect.StructField) (name string, omitEmpty, ok bool) {
	if !f.IsExported() {
		return "", false, false
	}
	tag := jsonTag(string(f.Tag))
	if tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	for opts != "" {
		var opt string
		opt, opts, _ = strings.Cut(opts, ",")
		omitEmpty = omitEmpty || opt == "omitempty"
	}
	return name, omitEmpty, true
}

// jsonTag is the value of the json key of a struct tag in the conventional
// format (key:"value" pairs separated by spaces, values without escapes).
func jsonTag(tag string) string {
	for tag != "" {
		tag = strings.TrimLeft(tag, " ")
		key, rest, ok := strings.Cut(tag, `:"`)
		if !ok {
			return ""
		}
		value, rest, _ := strings.Cut(rest, `"`)
		if key == "json" {
			return value
		}
		tag = rest
	}
	return ""
}

// isEmptyValue is encoding/json's test for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
