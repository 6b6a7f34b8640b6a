package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The production binary carries no simulator: no simulated Twilio, no
// OpenAPI documents and their validator, no browser-test tooling.
func TestProductionBinaryCarriesNoSimulator(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list -deps listed only %d packages: %s", len(deps), out)
	}
	forbidden := []string{
		"github.com/flex-internal-call/internal-call/server/twiliosim",
		"github.com/flex-internal-call/internal-call/server/demo",
		"github.com/getkin/kin-openapi",
		"github.com/gorilla/mux",
		"github.com/chromedp",
	}
	for _, d := range deps {
		for _, f := range forbidden {
			if d == f || strings.HasPrefix(d, f+"/") {
				t.Errorf("the production binary depends on %s", d)
			}
		}
	}
}
