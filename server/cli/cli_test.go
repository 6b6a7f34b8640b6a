package cli

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestArgumentsHelpAndFailures(t *testing.T) {
	ran := 0
	c := Command{Name: "prog", Verb: "serve",
		Usage: func(w io.Writer) { io.WriteString(w, "usage text\n") },
		Run: func(*slog.Logger) error {
			ran++
			return errors.New("TWILIO_AUTH_TOKEN is missing")
		}}
	var out, errb bytes.Buffer
	if code := c.Execute([]string{"--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "usage text") || ran != 0 {
		t.Errorf("--help: %d %q", code, out.String())
	}
	if code := c.Execute([]string{"bogus"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), `unknown argument "bogus"`) {
		t.Errorf("bogus: %d %q", code, errb.String())
	}
	errb.Reset()
	if code := c.Execute([]string{"serve"}, nil, &out, &errb); code != 1 || ran != 1 || errb.String() != "prog: TWILIO_AUTH_TOKEN is missing\n" {
		t.Errorf("failure: %d %q", code, errb.String())
	}
}

func TestSubcommandsNestedWithTheirOwnArguments(t *testing.T) {
	var got []string
	record := func(verb string) func(Invocation) error {
		return func(inv Invocation) error {
			got = append(got, verb+" "+strings.Join(inv.Args, " "))
			if len(inv.Args) > 0 && inv.Args[0] == "--bad" {
				return Usagef("--bad is not an option")
			}
			if len(inv.Args) > 0 && inv.Args[0] == "--fail" {
				return errors.New("2 checks failed")
			}
			return nil
		}
	}
	c := Command{Name: "prog", Verb: "serve", Usage: func(w io.Writer) { io.WriteString(w, "usage text\n") },
		Run: func(*slog.Logger) error { got = append(got, "serve"); return nil },
		Subcommands: []Subcommand{
			{Verb: "doctor", Summary: "checks", Run: record("doctor")},
			{Verb: "plugin", Summary: "the plugin", Subcommands: []Subcommand{
				{Verb: "deploy", Summary: "publishes", Run: record("deploy")},
			}},
		}}
	var out, errb bytes.Buffer
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"doctor", "--json"}, 0},
		{[]string{"plugin", "deploy"}, 0},
		{[]string{"doctor", "--fail"}, 1},
		{[]string{"doctor", "--bad"}, 2},
		{[]string{"plugin"}, 2},
		{[]string{"plugin", "bogus"}, 2},
		{[]string{}, 0},
	} {
		if code := c.Execute(tc.args, nil, &out, &errb); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, errb.String())
		}
	}
	want := []string{"doctor --json", "deploy ", "doctor --fail", "doctor --bad", "serve"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ran %q, want %q", got, want)
	}
	if !strings.Contains(errb.String(), "prog doctor: 2 checks failed") || !strings.Contains(errb.String(), `unknown argument "bogus"`) ||
		!strings.Contains(errb.String(), "deploy           publishes") {
		t.Errorf("stderr: %s", errb.String())
	}
	out.Reset()
	if code := c.Execute([]string{"plugin", "deploy", "--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "Usage: prog plugin deploy") {
		t.Errorf("plugin deploy --help: %d %q", code, out.String())
	}
}

func TestTheProgramsLoggerIsUsedEverywhere(t *testing.T) {
	json := func(w io.Writer) (*slog.Logger, error) { return slog.New(slog.NewJSONHandler(w, nil)), nil }
	c := Command{Name: "prog", Usage: func(io.Writer) {}, NewLogger: json,
		Run:         func(log *slog.Logger) error { log.Info("serving"); return nil },
		Subcommands: []Subcommand{{Verb: "check", Run: func(inv Invocation) error { inv.Log.Info("checking"); return nil }}}}
	for _, args := range [][]string{nil, {"check"}} {
		var errb bytes.Buffer
		if code := c.Execute(args, nil, io.Discard, &errb); code != 0 || !strings.HasPrefix(errb.String(), `{"time":`) {
			t.Errorf("%v: %d %q", args, code, errb.String())
		}
	}
	c.NewLogger = func(io.Writer) (*slog.Logger, error) {
		return nil, errors.New("LOG_LEVEL must be debug, info, warn or error")
	}
	var errb bytes.Buffer
	if code := c.Execute([]string{"check"}, nil, io.Discard, &errb); code != 1 || !strings.Contains(errb.String(), "prog: LOG_LEVEL") {
		t.Errorf("bad logging settings: %d %q", code, errb.String())
	}
}
