package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
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
	public, stop, err := startInProcess(context.Background(), st, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
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
