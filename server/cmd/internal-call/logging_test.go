package main

import (
	"strings"
	"testing"
)

// Every command logs as LOG_FORMAT and LOG_LEVEL say, and refuses a bad one.
func TestABadLogLevelStopsEveryCommand(t *testing.T) {
	t.Parallel()
	a := bare(t)
	a.env["LOG_LEVEL"] = "loud"
	for _, args := range [][]string{{"serve"}, {"doctor"}, {"plugin", "status"}} {
		code, _, stderr := a.run("", args...)
		if code != 1 || !strings.Contains(stderr, "LOG_LEVEL must be debug, info, warn or error") {
			t.Errorf("%v: exit %d\n%s", args, code, stderr)
		}
	}
}
