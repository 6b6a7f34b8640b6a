package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flex-internal-call/internal-call/server/app"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
)

// ServerOptions configure the throughput runs.
type ServerOptions struct {
	ProductBin  string // the internal-call binary (make build)
	NodeDir     string // bench/node, with node_modules installed; "" skips Node
	Self        string // this program, started with -serve-bare for the ceiling
	Concurrency int
	Warmup      time.Duration
	Duration    time.Duration
	Log         io.Writer
}

// The benchmark's fake account: loopback only, never a real one.
const (
	benchAccount   = "AC0000000000000000000000000000be01"
	benchToken     = "benchauthtoken000000000000000000"
	benchSigning   = "bench-signing-key-0123456789abcdef0123456789"
	benchWorkspace = "WS0000000000000000000000000000be01"
	benchWorkflow  = "WW0000000000000000000000000000be01"
	benchWorker    = "WK0000000000000000000000000000be01"
	benchTask      = "WT0000000000000000000000000000be01"
	benchCall      = "CA0000000000000000000000000000be01"
	benchConf      = "CF0000000000000000000000000000be01"
	benchContact   = "client:alice"
)

func newStandIn() *StandIn {
	return &StandIn{AccountSid: benchAccount, Workspace: benchWorkspace, Workflow: benchWorkflow,
		Worker: benchWorker, ContactURI: benchContact, Callee: "client:bob"}
}

func webhooks(public string) (Webhooks, error) {
	sealer, err := callflow.NewSealer(benchSigning)
	if err != nil {
		return Webhooks{}, err
	}
	return Webhooks{AuthToken: benchToken, Public: public, Target: public, TaskSid: benchTask, CallSid: benchCall,
		ContactURI: benchContact, ConferenceSid: benchConf, ConferenceName: sealer.ConferenceName(benchTask)}, nil
}

// serverRun is one server's figures.
type serverRun struct {
	caller, conference LoadResult
	rssRest, rssLoad   int64
	// restPerCaller and restPerConference are the Twilio requests one
	// webhook made (stand-in count over a sequential calibration).
	restPerCaller, restPerConference float64
	standInConns                     int64
	standInRequests                  int64
	err                              error
}

// MeasureServers measures the product, the Node comparison and the bare
// ceiling one after the other in this run, and the product's connection
// reuse, and adds the server section to the report.
func MeasureServers(ctx context.Context, r *Report, o ServerOptions) {
	sec := r.Section("server", "Server: signed webhooks")
	sec.Intro = fmt.Sprintf("Each server runs in its own process on loopback and is loaded by a Go generator "+
		"with %d concurrent keep-alive connections for %v after a %v warm-up (latency percentiles are nearest-rank "+
		"over every request of the measured part). The product and the Node server check the Twilio signature for real "+
		"and send their Twilio REST requests to a canned Twilio stand-in answering at once: `/twiml/caller` reads "+
		"the caller's task, its reservations and the worker; `/callbacks/conference` (the callee's participant-join) "+
		"reads the task and writes it with If-Match. The ceiling is bare net/http parsing the form and writing fixed TwiML. "+
		"All share the machine's cores with the load generator.", o.Concurrency, o.Duration, o.Warmup)
	logf := func(format string, a ...any) { fmt.Fprintf(o.Log, "bench: "+format+"\n", a...) }

	logf("server: the product (%s)", o.ProductBin)
	prod := runProduct(ctx, o)
	addServerRows(sec, "", "Product", prod)

	if o.NodeDir == "" {
		for _, k := range []string{"twiml_caller_rps", "twiml_caller_p99_ms", "conference_callback_rps", "conference_callback_p99_ms"} {
			sec.Missing("node_"+k, "Node: "+k, "", "Node comparison skipped")
		}
	} else {
		logf("server: the Node comparison (%s)", o.NodeDir)
		addServerRows(sec, "node_", "Node (twilio "+nodeTwilioVersion(o.NodeDir)+")", runNode(ctx, o))
	}

	logf("server: the bare net/http ceiling")
	bare := runBare(ctx, o)
	if bare.err != nil {
		sec.Missing("bare_ceiling_rps", "Bare net/http ceiling, /twiml/caller", "req/s", bare.err.Error())
	} else {
		sec.Add("bare_ceiling_rps", "Bare net/http ceiling, /twiml/caller", bare.caller.RPS(), "req/s", errNote(bare.caller))
		sec.Add("bare_ceiling_p99_ms", "Bare ceiling p99, /twiml/caller", bare.caller.Latency.P99, "ms", "")
		sec.Add("bare_ceiling_conference_rps", "Bare net/http ceiling, /callbacks/conference", bare.conference.RPS(), "req/s", errNote(bare.conference))
		sec.Add("bare_ceiling_conference_p99_ms", "Bare ceiling p99, /callbacks/conference", bare.conference.Latency.P99, "ms", "")
		sec.Add("bare_rss_rest_bytes", "Bare ceiling RSS at rest", bare.rssRest, "bytes", "")
		sec.Add("bare_rss_load_bytes", "Bare ceiling RSS under load (max)", bare.rssLoad, "bytes", "")
	}
	if prod.err == nil && bare.err == nil && bare.caller.RPS() > 0 {
		sec.Add("twiml_caller_share_of_ceiling", "Product /twiml/caller as a share of the ceiling", prod.caller.RPS()/bare.caller.RPS(), "ratio", "")
	}

	logf("server: Twilio connection reuse at %d concurrent webhooks", o.Concurrency)
	caller, conf, err := measureReuse(ctx, o)
	if err != nil {
		sec.Missing("rest_conn_reuse_ratio", "Twilio REST connection reuse, /twiml/caller", "ratio", err.Error())
		sec.Missing("conference_rest_conn_reuse_ratio", "Twilio REST connection reuse, /callbacks/conference", "ratio", err.Error())
		return
	}
	note := func(x reuseResult) string {
		n := fmt.Sprintf("%d of %d Twilio requests on a reused connection (httptrace GotConnInfo.Reused over the product's transport, in-process server, 2 s)", x.reused, x.total)
		if x.ratio() < 0.99 {
			n += "; under the 99 % target"
		}
		return n
	}
	sec.Add("rest_conn_reuse_ratio", "Twilio REST connection reuse, /twiml/caller", caller.ratio(), "ratio", note(caller))
	sec.Add("conference_rest_conn_reuse_ratio", "Twilio REST connection reuse, /callbacks/conference", conf.ratio(), "ratio", note(conf))
}

func errNote(l LoadResult) string {
	if l.Errors == 0 {
		return fmt.Sprintf("%d requests, p50 %.2f ms", l.Requests, l.Latency.P50)
	}
	return fmt.Sprintf("%d requests, p50 %.2f ms; %d errors, first: %s", l.Requests, l.Latency.P50, l.Errors, l.FirstError)
}

func addServerRows(sec *Section, prefix, who string, run serverRun) {
	keys := []string{"twiml_caller_rps", "twiml_caller_p99_ms", "twiml_caller_p50_ms", "conference_callback_rps", "conference_callback_p99_ms", "conference_callback_p50_ms", "rss_rest_bytes", "rss_load_bytes"}
	if run.err != nil {
		for _, k := range keys {
			sec.Missing(prefix+k, who+": "+k, "", run.err.Error())
		}
		return
	}
	sec.Add(prefix+"twiml_caller_rps", who+", /twiml/caller", run.caller.RPS(), "req/s",
		errNote(run.caller)+fmt.Sprintf("; %.2f Twilio requests each", run.restPerCaller))
	sec.Add(prefix+"twiml_caller_p50_ms", who+" p50, /twiml/caller", run.caller.Latency.P50, "ms", "")
	sec.Add(prefix+"twiml_caller_p99_ms", who+" p99, /twiml/caller", run.caller.Latency.P99, "ms", "")
	sec.Add(prefix+"conference_callback_rps", who+", /callbacks/conference", run.conference.RPS(), "req/s",
		errNote(run.conference)+fmt.Sprintf("; %.2f Twilio requests each", run.restPerConference))
	sec.Add(prefix+"conference_callback_p50_ms", who+" p50, /callbacks/conference", run.conference.Latency.P50, "ms", "")
	sec.Add(prefix+"conference_callback_p99_ms", who+" p99, /callbacks/conference", run.conference.Latency.P99, "ms", "")
	sec.Add(prefix+"rss_rest_bytes", who+" RSS at rest", run.rssRest, "bytes", "after start-up, before load")
	sec.Add(prefix+"rss_load_bytes", who+" RSS under load (max)", run.rssLoad, "bytes", "largest sample, every 100 ms, of both loads")
	sec.Add(prefix+"standin_connections", who+": connections to the Twilio stand-in", run.standInConns, "",
		fmt.Sprintf("for %d Twilio requests in all", run.standInRequests))
}

func runProduct(ctx context.Context, o ServerOptions) serverRun {
	st := newStandIn()
	if err := st.Start(); err != nil {
		return serverRun{err: err}
	}
	defer st.Close()
	addr, err := freeAddr()
	if err != nil {
		return serverRun{err: err}
	}
	public := "http://" + addr
	cmd := exec.CommandContext(ctx, o.ProductBin, "serve")
	cmd.Dir = filepath.Dir(o.ProductBin) // no .env of the working tree
	cmd.Env = environ("TWILIO_ACCOUNT_SID="+benchAccount, "TWILIO_AUTH_TOKEN="+benchToken, "TWILIO_FLEX_WORKSPACE_SID="+benchWorkspace,
		"TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID="+benchWorkflow, "PUBLIC_BASE_URL="+public, "ADDR="+addr,
		"TWILIO_API_BASE_URL="+st.URL, "SIGNING_KEY="+benchSigning)
	p, err := startProc("internal-call", cmd, public+"/readyz")
	if err != nil {
		return serverRun{err: err}
	}
	defer p.stop()
	return measureProc(ctx, o, p, public, st, "<Conference")
}

func runNode(ctx context.Context, o ServerOptions) serverRun {
	st := newStandIn()
	if err := st.Start(); err != nil {
		return serverRun{err: err}
	}
	defer st.Close()
	addr, err := freeAddr()
	if err != nil {
		return serverRun{err: err}
	}
	_, port, _ := net.SplitHostPort(addr)
	public := "http://" + addr
	cmd := exec.CommandContext(ctx, "node", "server.js")
	cmd.Dir = o.NodeDir
	cmd.Env = environ("PORT="+port, "TWILIO_ACCOUNT_SID="+benchAccount, "TWILIO_AUTH_TOKEN="+benchToken,
		"TWILIO_FLEX_WORKSPACE_SID="+benchWorkspace, "PUBLIC_BASE_URL="+public, "TWILIO_API_BASE_URL="+st.URL)
	p, err := startProc("node", cmd, "tcp:"+addr)
	if err != nil {
		return serverRun{err: err}
	}
	defer p.stop()
	return measureProc(ctx, o, p, public, st, "<Conference")
}

func runBare(ctx context.Context, o ServerOptions) serverRun {
	addr, err := freeAddr()
	if err != nil {
		return serverRun{err: err}
	}
	cmd := exec.CommandContext(ctx, o.Self, "-serve-bare", addr)
	p, err := startProc("bare", cmd, "tcp:"+addr)
	if err != nil {
		return serverRun{err: err}
	}
	defer p.stop()
	return measureProc(ctx, o, p, "http://"+addr, nil, "<Conference")
}

// measureProc calibrates (Twilio requests per webhook, a check of the
// answer), then loads both webhooks, sampling the process's RSS.
func measureProc(ctx context.Context, o ServerOptions, p *proc, public string, st *StandIn, wantBody string) serverRun {
	var run serverRun
	hooks, err := webhooks(public)
	if err != nil {
		return serverRun{err: err}
	}
	time.Sleep(500 * time.Millisecond)
	run.rssRest, _ = RSS(p.pid())
	const calib = 50
	for i, req := range []Request{hooks.CallerTwiML(), hooks.CalleeJoined()} {
		var before StandInCounts
		if st != nil {
			before = st.Counts()
		}
		for n := range calib {
			body, err := once(ctx, req)
			if err != nil {
				return serverRun{err: fmt.Errorf("%s: %v\n%s", p.name, err, p.tail.String())}
			}
			if n == 0 && i == 0 && !strings.Contains(body, wantBody) {
				return serverRun{err: fmt.Errorf("%s: /twiml/caller answered %q, not the conference join", p.name, body)}
			}
		}
		if st != nil {
			after := st.Counts()
			if after.Unexpected != before.Unexpected {
				return serverRun{err: fmt.Errorf("%s sent Twilio requests the stand-in does not know", p.name)}
			}
			per := float64(after.Requests-before.Requests) / calib
			if i == 0 {
				run.restPerCaller = per
			} else {
				run.restPerConference = per
			}
		}
	}
	var peak atomic.Int64
	sample := func() {
		if now, _ := RSS(p.pid()); now > peak.Load() {
			peak.Store(now)
		}
	}
	l := Load{Concurrency: o.Concurrency, Warmup: o.Warmup, Duration: o.Duration, During: sample}
	run.caller = l.Run(ctx, hooks.CallerTwiML())
	run.conference = l.Run(ctx, hooks.CalleeJoined())
	sample()
	run.rssLoad = peak.Load()
	if st != nil {
		c := st.Counts()
		run.standInConns, run.standInRequests = c.Connections, c.Requests
	}
	return run
}

// once sends one request and checks its status.
func once(ctx context.Context, req Request) (string, error) {
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return "", err
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != req.Status {
		return string(b), fmt.Errorf("%s %s: %s %s", req.Method, req.URL, resp.Status, b)
	}
	return string(b), nil
}

func nodeTwilioVersion(dir string) string {
	out := command("node", "-p", "require('"+filepath.Join(dir, "node_modules", "twilio", "package.json")+"').version")
	if v := firstLine(out); v != "" {
		return v
	}
	return "?"
}

type reuseResult struct{ total, reused int64 }

func (r reuseResult) ratio() float64 {
	if r.total == 0 {
		return 0
	}
	return float64(r.reused) / float64(r.total)
}

// tracing wraps the product's transport and counts, for every Twilio
// request, whether it went out on a reused connection.
type tracing struct {
	next          http.RoundTripper
	mu            sync.Mutex
	total, reused int64
}

func (t *tracing) RoundTrip(r *http.Request) (*http.Response, error) {
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		t.mu.Lock()
		t.total++
		if i.Reused {
			t.reused++
		}
		t.mu.Unlock()
	}}
	return t.next.RoundTrip(r.WithContext(httptrace.WithClientTrace(r.Context(), trace)))
}

func (t *tracing) take() reuseResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := reuseResult{t.total, t.reused}
	t.total, t.reused = 0, 0
	return r
}

// measureReuse serves the product in this process, its Twilio transport
// traced, and loads each webhook for 2 s at o.Concurrency.
func measureReuse(ctx context.Context, o ServerOptions) (caller, conf reuseResult, err error) {
	st := newStandIn()
	if err := st.Start(); err != nil {
		return caller, conf, err
	}
	defer st.Close()
	tr := &tracing{next: twilioapi.NewPooledTransport()}
	public, stop, err := startInProcess(ctx, st, tr)
	if err != nil {
		return caller, conf, err
	}
	defer stop()
	hooks, err := webhooks(public)
	if err != nil {
		return caller, conf, err
	}
	tr.take() // start-up's requests
	l := Load{Concurrency: o.Concurrency, Duration: 2 * time.Second}
	if res := l.Run(ctx, hooks.CallerTwiML()); res.Errors > 0 || res.Requests == 0 {
		return caller, conf, fmt.Errorf("/twiml/caller: %d answered, %d errors (%s)", res.Requests, res.Errors, res.FirstError)
	}
	caller = tr.take()
	// A fresh pool for the second endpoint, so that its figure counts its own new connections.
	tr.next.(*http.Transport).CloseIdleConnections()
	if res := l.Run(ctx, hooks.CalleeJoined()); res.Errors > 0 || res.Requests == 0 {
		return caller, conf, fmt.Errorf("/callbacks/conference: %d answered, %d errors (%s)", res.Requests, res.Errors, res.FirstError)
	}
	conf = tr.take()
	return caller, conf, nil
}

// startInProcess runs the product in this process against the stand-in,
// its Twilio requests through transport (nil: the product's own). It
// returns the product's base URL and how to stop it.
func startInProcess(ctx context.Context, st *StandIn, transport http.RoundTripper) (public string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	public = "http://" + ln.Addr().String()
	pub, _ := url.Parse(public)
	api, _ := url.Parse(st.URL)
	cfg := &config.Config{AccountSid: benchAccount, AuthToken: benchToken, WorkspaceSid: benchWorkspace, WorkflowSid: benchWorkflow,
		PublicBaseURL: pub, Addr: ln.Addr().String(), RingTimeout: 30 * time.Second, APIBaseURL: api, SigningKeys: []string{benchSigning},
		FlexOrigins: []string{"https://flex.twilio.com"}}
	srv, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{Listener: ln, TwilioTransport: transport, ShutdownGrace: 2 * time.Second})
	if err != nil {
		ln.Close()
		return "", nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx) }()
	return public, func() { cancel(); <-done }, nil
}
