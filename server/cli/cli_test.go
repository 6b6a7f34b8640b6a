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
	if code := c.run([]string{"--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "usage text") || ran != 0 {
		t.Errorf("--help: %d %q", code, out.String())
	}
	if code := c.run([]string{"bogus"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), `unknown argument "bogus"`) {
		t.Errorf("bogus: %d %q", code, errb.String())
	}
	errb.Reset()
	if code := c.run([]string{"serve"}, &out, &errb); code != 1 || ran != 1 || errb.String() != "prog: TWILIO_AUTH_TOKEN is missing\n" {
		t.Errorf("failure: %d %q", code, errb.String())
	}
}
