package voice

import (
	"encoding/xml"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// node is one TwiML element: verbs and nouns are read generically because
// attribute order (and case of unknown attributes) varies between generators.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []node     `xml:",any"`
}

// parseTwiML parses a <Response> document.
func parseTwiML(b []byte) (*node, error) {
	var n node
	if err := xml.Unmarshal(b, &n); err != nil {
		return nil, err
	}
	if n.XMLName.Local != "Response" {
		return nil, errors.New("root element is <" + n.XMLName.Local + ">, not <Response>")
	}
	return &n, nil
}

func (n *node) verb() string { return n.XMLName.Local }

func (n *node) body() string { return strings.TrimSpace(n.Text) }

// attr returns the attribute and whether it is present.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value), true
		}
	}
	return "", false
}

func (n *node) str(name, def string) string {
	if v, ok := n.attr(name); ok && v != "" {
		return v
	}
	return def
}

func (n *node) boolean(name string, def bool) bool {
	v, ok := n.attr(name)
	if !ok || v == "" {
		return def
	}
	return strings.EqualFold(v, "true")
}

func (n *node) integer(name string, def int) int {
	if v, ok := n.attr(name); ok {
		if i, err := strconv.Atoi(v); err == nil {
			return i
		}
	}
	return def
}

func (n *node) method(name string, def string) string {
	if strings.EqualFold(n.str(name, def), "GET") {
		return "GET"
	}
	return "POST"
}

// resolve makes ref absolute against the document URL base, as Twilio does
// for relative action, Redirect, waitUrl and statusCallback URLs.
func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil || base == "" {
		return ref
	}
	return b.ResolveReference(r).String()
}

// sayDuration is speech time for text: about 150 words a minute.
func sayDuration(text string) time.Duration {
	words := len(strings.Fields(text))
	return time.Duration(words)*400*time.Millisecond + 300*time.Millisecond
}

// splitFields splits a space (or comma) separated list such as statusCallbackEvent.
func splitFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
}
