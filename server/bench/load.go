package bench

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Request is one prepared request the load generator sends again and again.
type Request struct {
	Method, URL string
	Header      http.Header
	Body        []byte
	// Status is the answer expected; any other counts as an error.
	Status int
}

// Load is a fixed-concurrency, fixed-duration run.
type Load struct {
	Concurrency int
	Warmup      time.Duration // requests in the warm-up are sent, not counted
	Duration    time.Duration
	// During, when set, is called every 100 ms of the measured part (RSS sampling).
	During func()
}

// LoadResult is what a run measured.
type LoadResult struct {
	Requests int           // answered with the expected status during the measured part
	Errors   int           // transport errors and unexpected statuses (measured part)
	Elapsed  time.Duration // of the measured part
	Latency  Summary       // of the requests counted, ms
	// FirstError is the first error seen, for the report.
	FirstError string
}

// RPS is the rate of counted requests.
func (r LoadResult) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Run sends req from l.Concurrency workers, each with one keep-alive
// connection, for l.Warmup + l.Duration, and measures the latency of each
// answered request in the measured part.
func (l Load) Run(ctx context.Context, req Request) LoadResult {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: l.Concurrency,
		MaxConnsPerHost:     l.Concurrency,
		DisableCompression:  true,
		IdleConnTimeout:     30 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	start := time.Now()
	measureFrom := start.Add(l.Warmup)
	end := measureFrom.Add(l.Duration)
	ctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()

	var errs atomic.Int64
	var firstErr atomic.Pointer[string]
	noteErr := func(s string) {
		errs.Add(1)
		firstErr.CompareAndSwap(nil, &s)
	}
	lat := make([][]float64, l.Concurrency)
	var wg sync.WaitGroup
	for w := range l.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]float64, 0, 1<<14)
			for ctx.Err() == nil {
				hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
				if err != nil {
					noteErr(err.Error())
					return
				}
				for k, v := range req.Header {
					hr.Header[k] = v
				}
				t0 := time.Now()
				resp, err := client.Do(hr)
				if err != nil {
					if ctx.Err() == nil && t0.After(measureFrom) {
						noteErr(err.Error())
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				t1 := time.Now()
				if t0.Before(measureFrom) || t1.After(end) {
					continue
				}
				if resp.StatusCode != req.Status {
					noteErr(resp.Status + " from " + req.URL)
					continue
				}
				mine = append(mine, float64(t1.Sub(t0))/float64(time.Millisecond))
			}
			lat[w] = mine
		}()
	}
	if l.During != nil {
		go func() {
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case now := <-tick.C:
					if now.After(measureFrom) {
						l.During()
					}
				}
			}
		}()
	}
	wg.Wait()
	var all []float64
	for _, m := range lat {
		all = append(all, m...)
	}
	res := LoadResult{Requests: len(all), Errors: int(errs.Load()), Elapsed: l.Duration, Latency: Summarize(all)}
	if p := firstErr.Load(); p != nil {
		res.FirstError = *p
	}
	return res
}
