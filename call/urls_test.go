package call

import (
	"net/url"
	"testing"
)

// escape must read back as what it encoded, both as a path segment and as a
// query value, and agree with net/url wherever net/url leaves nothing to
// choose (SIDs and IDs).
func TestEscapeReadsBackAsPathAndQuery(t *testing.T) {
	for _, s := range []string{
		"WT0123456789abcdef0123456789abcdef", "m-1733077200-CA01", "a b+c/d?e#f&g=h%i", "café ☎", "", "~._-", "\x00\xff",
	} {
		e := escape(s)
		if got, err := url.PathUnescape(e); err != nil || got != s {
			t.Errorf("PathUnescape(escape(%q)) = %q, %v", s, got, err)
		}
		if got, err := url.QueryUnescape(e); err != nil || got != s {
			t.Errorf("QueryUnescape(escape(%q)) = %q, %v", s, got, err)
		}
	}
	sid := "WT0123456789abcdef0123456789abcdef"
	if escape(sid) != url.PathEscape(sid) || escape(sid) != url.QueryEscape(sid) {
		t.Errorf("escape(%q) = %q, net/url says %q", sid, escape(sid), url.PathEscape(sid))
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("a b/c")
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := url.PathUnescape(escape(s)); err != nil || got != s {
			t.Fatalf("PathUnescape(escape(%q)) = %q, %v", s, got, err)
		}
	})
}
