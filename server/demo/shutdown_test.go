package demo_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/demo"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Ctrl-C with a browser open on the demo: an agent's event stream is open
// and the browser holds a connection it has not sent anything on yet (as
// Chromium does for a page served as localhost). The demo, with its default
// grace, stops in under 2 s, without an error and without logging one.
func TestCtrlCWithABrowserOpenStopsCleanlyInUnderTwoSeconds(t *testing.T) {
	var logs syncBuffer
	d, err := demo.New(demo.Options{Addr: "127.0.0.1:0", AnnounceListenAddr: true,
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Serve(ctx) }()

	resp, err := http.Post(d.URL+"/sim/agents/login", "application/json", strings.NewReader(`{"worker":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	err = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if err != nil || login.Token == "" {
		t.Fatalf("login: %v %q", err, login.Token)
	}
	stream, err := http.Get(d.URL + "/sim/agents/events?token=" + login.Token)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if line, err := bufio.NewReader(stream.Body).ReadString('\n'); err != nil || line != "event: ready\n" {
		t.Fatalf("event stream: %q %v", line, err)
	}
	unused, err := net.Dial("tcp", d.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if took := time.Since(start); took >= 2*time.Second {
			t.Errorf("the demo took %v to stop", took.Round(time.Millisecond))
		}
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the demo did not stop within 10 s")
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("an error was logged on shutdown:\n%s", logs.String())
	}
}
