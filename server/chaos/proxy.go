package chaos

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// BackendHeader names, in every answer of the proxy, the replica that served
// it. In a request it pins the request to that replica (no failover): the
// harness loads each agent's dialpad from both replicas that way.
const BackendHeader = "X-Chaos-Backend"

// Proxy is the load balancer in front of the replicas: round robin over the
// backends, as a cloud load balancer without session affinity. When a backend
// gives no answer at all (connection refused while it restarts, or an idle
// connection it closed on shutdown), the request goes to the next backend,
// as load balancers do on a connect error: a graceful shutdown closes only
// idle connections, so a request that got no answer was never served.
type Proxy struct {
	backends []string // host:port
	rp       *httputil.ReverseProxy
	next     atomic.Uint64

	served    []atomic.Int64 // answers per backend
	failovers atomic.Int64   // tries that got no answer and went to the next backend
	failed    atomic.Int64   // requests no backend answered (502)
	gone      atomic.Int64   // requests whose client went away first

	mu     sync.Mutex
	errors []string // the first few of those, with why
}

// NewProxy balances over the backends (host:port, plain HTTP).
func NewProxy(backends ...string) *Proxy {
	p := &Proxy{backends: backends, served: make([]atomic.Int64, len(backends))}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: 2048,
		IdleConnTimeout:     30 * time.Second,
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			// The product trusts its proxy (TRUST_PROXY): the browser's address
			// and the public host travel in X-Forwarded-*.
			pr.SetXForwarded()
			pr.Out.URL.Scheme = "http"
			pr.Out.Host = pr.In.Host
		},
		Transport: &failover{p: p, next: tr},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if r.Context().Err() != nil {
				// The client went away (Twilio interrupts a wait-URL fetch
				// once the conference starts): nobody reads an answer.
				p.gone.Add(1)
				return
			}
			p.failed.Add(1)
			p.mu.Lock()
			if len(p.errors) < 20 {
				p.errors = append(p.errors, r.Method+" "+r.URL.Path+": "+err.Error())
			}
			p.mu.Unlock()
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "chaos proxy: no backend answered: "+err.Error())
		},
	}
	return p
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.rp.ServeHTTP(w, r) }

// ProxyStats count what the proxy did.
type ProxyStats struct {
	Served    []int64  `json:"served_per_replica"`
	Failovers int64    `json:"failovers"`
	Failed    int64    `json:"unanswered"`
	Gone      int64    `json:"client_gone"`
	Errors    []string `json:"unanswered_errors,omitempty"`
}

// Stats returns the counters.
func (p *Proxy) Stats() ProxyStats {
	s := ProxyStats{Failovers: p.failovers.Load(), Failed: p.failed.Load(), Gone: p.gone.Load()}
	p.mu.Lock()
	s.Errors = append(s.Errors, p.errors...)
	p.mu.Unlock()
	for i := range p.served {
		s.Served = append(s.Served, p.served[i].Load())
	}
	return s
}

type failover struct {
	p    *Proxy
	next http.RoundTripper
}

func (f *failover) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	n := len(f.p.backends)
	start := int(f.p.next.Add(1) % uint64(n))
	tries := n
	if pin, err := strconv.Atoi(req.Header.Get(BackendHeader)); err == nil && pin >= 0 && pin < n {
		start, tries = pin, 1
	}
	req.Header.Del(BackendHeader)
	var errs []error
	for i := range tries {
		b := (start + i) % n
		out := req.Clone(req.Context())
		out.URL.Host = f.p.backends[b]
		if body != nil {
			out.Body = io.NopCloser(bytes.NewReader(body))
			out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			out.ContentLength = int64(len(body))
		}
		resp, err := f.next.RoundTrip(out)
		if err == nil {
			f.p.served[b].Add(1)
			resp.Header.Set(BackendHeader, strconv.Itoa(b))
			return resp, nil
		}
		errs = append(errs, err)
		if req.Context().Err() != nil {
			break
		}
		if i < tries-1 {
			f.p.failovers.Add(1)
		}
	}
	return nil, errors.Join(errs...)
}

// serveOn serves h on ln until ctx ends.
func serveOn(ctx context.Context, ln net.Listener, h http.Handler) (done <-chan struct{}) {
	// Loopback test servers: a header timeout only has to stop a stuck
	// client. A short one (5 s) closed, on a starved machine, connections
	// whose request the server had not been scheduled to read in time, and
	// the harness's agent then saw EOF on a POST it cannot safely repeat.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 60 * time.Second, IdleTimeout: 60 * time.Second}
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		_ = srv.Serve(ln)
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
	}()
	return ch
}
