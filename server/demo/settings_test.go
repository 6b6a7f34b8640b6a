package demo_test

import (
	"context"
	"fmt"
	"net"
	"testing"

	"github.com/flex-internal-call/internal-call/server/demo"
)

// ADDR alone is enough to move the demo: the URL it announces (and serves
// its pages for) follows the port it listens on; PUBLIC_BASE_URL is needed
// only when browsers reach it by another name.
func TestTheDemoURLFollowsADDRWithoutPublicBaseURL(t *testing.T) {
	o, err := demo.LoadOptions(func(k string) (string, bool) {
		if k == "ADDR" {
			return "127.0.0.1:0", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.PublicBaseURL != nil {
		t.Fatalf("PUBLIC_BASE_URL unset reads as %v", o.PublicBaseURL)
	}
	d, err := demo.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { // stop it: Serve with a context already done shuts down at once
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := d.Serve(ctx); err != nil {
			t.Error(err)
		}
	}()
	port := d.Addr().(*net.TCPAddr).Port
	if want := fmt.Sprintf("http://localhost:%d/demo/", port); d.PageURL != want {
		t.Errorf("the demo announces %s, want %s", d.PageURL, want)
	}
}
