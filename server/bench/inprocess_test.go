package bench

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/config"
)

// BenchmarkWebhooksInProcess serves the two measured webhooks from a product
// running in the test process against the canned Twilio, so that
// `go test -bench WebhooksInProcess -cpuprofile` shows where a webhook's time
// goes. (The published throughput is measured across processes by make bench.)
func BenchmarkWebhooksInProcess(b *testing.B) {
	st := newStandIn()
	if err := st.Start(); err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	public := "http://" + ln.Addr().String()
	pub, _ := url.Parse(public)
	api, _ := url.Parse(st.URL)
	cfg := &config.Config{AccountSid: benchAccount, AuthToken: benchToken, WorkspaceSid: benchWorkspace, WorkflowSid: benchWorkflow,
		PublicBaseURL: pub, Addr: ln.Addr().String(), RingTimeout: 30 * time.Second, APIBaseURL: api, SigningKeys: []string{benchSigning},
		FlexOrigins: []string{"https://flex.twilio.com"}}
	srv, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{Listener: ln, ShutdownGrace: 2 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	defer func() { stop(); <-done }()
	hooks, err := webhooks(public)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for _, c := range []struct {
		name string
		req  Request
	}{{"twiml-caller", hooks.CallerTwiML()}, {"conference-callback", hooks.CalleeJoined()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetParallelism(16)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(c.req.Method, c.req.URL, bytes.NewReader(c.req.Body))
					req.Header = c.req.Header.Clone()
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != c.req.Status {
						b.Errorf("%s: %d", c.name, resp.StatusCode)
						return
					}
				}
			})
		})
	}
}
