package faults

import (
	"strings"
	"testing"
	"time"
)

func TestParseSpecExample(t *testing.T) {
	c, err := ParseSpec("latency=100ms-300ms, 429=0.1,500=0.05,path=/Tasks,drop=0.1,dup=0.2,reorder=0.2,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		LatencyMin: 100 * time.Millisecond, LatencyMax: 300 * time.Millisecond,
		P429: 0.1, P500: 0.05, Path: "/Tasks",
		Drop: 0.1, Dup: 0.2, Reorder: 0.2, Seed: 7,
	}
	if c != want {
		t.Fatalf("got %+v\nwant %+v", c, want)
	}
}

func TestParseSpecRoundTrip(t *testing.T) {
	for _, s := range []string{
		"",
		"latency=100ms-300ms,429=0.1,500=0.05,path=/Tasks,method=POST,drop=0.1,dup=0.2,reorder=0.2,seed=7",
		"latency=250ms",
		"latency=0s-1s",
		"500=1",
		"drop=0.001,seed=18446744073709551615",
		"drop=0.02,join=at-start,withhold=participant-leave|conference-end",
	} {
		c, err := ParseSpec(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := c.String(); got != s {
			t.Errorf("ParseSpec(%q).String() = %q", s, got)
		}
		again, err := ParseSpec(c.String())
		if err != nil || again != c {
			t.Errorf("%q: round trip gave %+v, %v", s, again, err)
		}
	}
	if c, _ := ParseSpec(" , "); c.Active() {
		t.Error("empty spec is active")
	}
}

func TestParseSpecErrors(t *testing.T) {
	for spec, mention := range map[string]string{
		"latency=abc":              "latency=abc",
		"latency=300ms-100ms":      "latency",
		"latency=-5ms":             "latency=-5ms",
		"429=2":                    "429=2",
		"500=x":                    "500=x",
		"drop=-0.1":                "drop=-0.1",
		"dup=NaN":                  "dup=NaN",
		"reorder":                  "reorder",
		"seed=-1":                  "seed=-1",
		"foo=1":                    "unknown key",
		"dup=0.1,dup=0.2":          "twice",
		"429=0.6,500=0.6":          "more than 1",
		"latency=1s,path=/x,500=y": "500=y",
	} {
		_, err := ParseSpec(spec)
		if err == nil {
			t.Errorf("%q: no error", spec)
			continue
		}
		if !strings.Contains(err.Error(), mention) {
			t.Errorf("%q: error %q does not mention %q", spec, err, mention)
		}
	}
}
