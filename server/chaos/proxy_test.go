package chaos

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The proxy balances round robin, passes the client's address and the public
// host on, and sends a request a backend does not answer (it is down) to
// the other one, body and all.
func TestProxyRoundRobinAndFailover(t *testing.T) {
	backend := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			_, _ = io.WriteString(w, name+" "+r.Method+" "+r.URL.RequestURI()+" "+string(b)+" "+
				r.Header.Get("X-Forwarded-For")+" "+r.Header.Get("X-Forwarded-Host"))
		}))
	}
	a, b := backend("a"), backend("b")
	defer a.Close()
	p := NewProxy(a.Listener.Addr().String(), b.Listener.Addr().String())
	front := httptest.NewServer(p)
	defer front.Close()
	post := func() string {
		t.Helper()
		resp, err := http.Post(front.URL+"/twiml/caller?taskSid=WT1", "text/plain", strings.NewReader("body"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, got)
		}
		return string(got)
	}
	host := strings.TrimPrefix(front.URL, "http://")
	seen := map[string]int{}
	for range 4 {
		got := post()
		if !strings.HasSuffix(got, " POST /twiml/caller?taskSid=WT1 body 127.0.0.1 "+host) {
			t.Errorf("backend saw %q", got)
		}
		seen[got[:1]]++
	}
	if seen["a"] != 2 || seen["b"] != 2 {
		t.Errorf("round robin: %v", seen)
	}
	// A pinned request goes to its backend only.
	req, _ := http.NewRequest(http.MethodGet, front.URL+"/pinned", nil)
	req.Header.Set(BackendHeader, "1")
	for range 3 {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got[:1]) != "b" || resp.Header.Get(BackendHeader) != "1" {
			t.Errorf("pinned to b, served %q by %s", got, resp.Header.Get(BackendHeader))
		}
	}
	b.Close() // b is down: connections refused
	for range 4 {
		if got := post(); got[:1] != "a" {
			t.Errorf("served by %q while b is down", got)
		}
	}
	if s := p.Stats(); s.Failovers < 2 || s.Failed != 0 || s.Served[0] != 6 || s.Served[1] != 5 {
		t.Errorf("stats %+v", s)
	}
	// Both down: 502.
	a.Close()
	resp, err := http.Post(front.URL+"/x", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("no backend: %d", resp.StatusCode)
	}
}
