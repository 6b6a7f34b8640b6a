//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/flex-internal-call/internal-call/internal/browsertest"
	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/demo"
	"github.com/flex-internal-call/internal-call/server/demo/demotest"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/web"
)

const (
	ringTimeout = 4 * time.Second
	// waitLong bounds every wait for something the page shows.
	waitLong = 20 * time.Second
)

// browser is the one Chromium of the run; each desk gets its own browser
// context (its own storage, as a separate agent's browser would).
var browser context.Context

func TestMain(m *testing.M) {
	if os.Getenv("E2E") == "0" {
		fmt.Println("e2e: skipped (E2E=0)")
		return
	}
	os.Exit(run(m))
}

func run(m *testing.M) int {
	path, err := browsertest.Chromium()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err, "(E2E=0 skips these tests)")
		return 1
	}
	if err := checkFlexUI(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if err := checkAssets(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	profile, err := os.MkdirTemp("", "e2e-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(profile)
	opts := browsertest.Options(path, profile, chromedp.WindowSize(1200, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		fmt.Fprintln(os.Stderr, "e2e: starting Chromium ("+path+"):", err, "\n(Debian: apt-get install -y chromium; E2E=0 skips these tests)")
		return 1
	}
	browser = bctx
	return m.Run()
}

// checkAssets makes sure the server embeds the browser bundles.
func checkAssets() error {
	for _, f := range []string{"wasm_exec.js", "bridge.wasm", "dialpad.wasm"} {
		if _, err := fsStat(f); err != nil {
			return fmt.Errorf("web/dist/%s is missing: run `make e2e` (it builds the assets first)", f)
		}
	}
	return nil
}

// flexUIBundle is the real Flex UI bundle make flexui builds (the test runs
// in server/e2e).
var flexUIBundle = filepath.Join("..", "..", ".cache", "flex-ui", "flex-ui.js")

func checkFlexUI() error {
	if _, err := os.Stat(flexUIBundle); err != nil {
		return fmt.Errorf("the real Flex UI bundle is missing (%v): run `make e2e` (it builds it with make flexui)", err)
	}
	abs, err := filepath.Abs(flexUIBundle)
	if err == nil {
		flexUIBundle = abs
	}
	return err
}

func fsStat(name string) (int64, error) {
	f, err := web.Dist().Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// env is one server on the simulator, and the desks opened on it.
type env struct {
	t     testing.TB
	demo  *demo.Demo
	sim   *twiliosim.Sim
	sd    twiliosim.Seeded
	url   string
	desks []*desk
	// initScript, when set, runs in every frame of the desks opened after,
	// before the page's own scripts (the benchmarks' instrumentation).
	initScript string
	// stub opens the desks after on the Flex stand-in (flexstub.js) instead
	// of the real Flex UI: for what needs Flex's logged-in SDKs (its native
	// accept, hold, hang up and complete of ordinary calls) and the benchmarks.
	stub bool
}

func newEnv(t testing.TB, opts twiliosim.Options) *env {
	t.Helper()
	if opts.MediaSpeed == 0 {
		opts.MediaSpeed = 50
	}
	if opts.AnswerDelay == 0 {
		opts.AnswerDelay = 50 * time.Millisecond
	}
	// The pages are served as http://127.0.0.1:<port>, the address listened
	// on. (Served as localhost, Chromium leaves a connection open that never
	// carries a request, and the graceful shutdown waits 5 s for it.)
	d, _ := demotest.Start(t, demotest.Options{RingTimeout: ringTimeout, Sim: opts, FlexUIBundle: flexUIBundle,
		ExternalNumbers: regexp.MustCompile(`^\+1555\d{7}$`)}) // the demo's default: the simulator's phones
	e := &env{t: t, demo: d, sim: d.Sim, sd: d.Seeded, url: d.URL}
	t.Cleanup(func() {
		// the last first: a tab closes before the browser it was opened in
		for i := len(e.desks) - 1; i >= 0; i-- {
			e.desks[i].close()
		}
	})
	return e
}

// finish is the check after every flow: the simulator settles with no task
// or conference left open, and no desk logged an error.
func (e *env) finish() {
	e.t.Helper()
	err := e.sim.Settle(15 * time.Second)
	if err != nil {
		e.t.Errorf("simulator not settled: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // late console messages
	for _, d := range e.desks {
		if p := d.problems(); len(p) > 0 {
			e.t.Errorf("%s's desk: %d console errors or unhandled rejections:\n  %s", d.name, len(p), strings.Join(p, "\n  "))
		}
	}
}

// desk is one agent's desktop in its own browser context.
type desk struct {
	t      testing.TB
	e      *env
	name   string
	ctx    context.Context
	cancel context.CancelFunc

	// frame, when set, is the JavaScript expression of the desk's iframe in
	// the page (the demo page shows several desks); the desk's expressions
	// then run with document and desk bound to the frame's.
	frame string
	// shared marks a desk whose browser tab belongs to another desk.
	shared bool

	mu   sync.Mutex
	errs []string
}

// expr binds a desk expression to the desk's document.
func (d *desk) expr(js string) string {
	if d.frame == "" {
		return js
	}
	return `(function () { var F = ` + d.frame + `; if (!F || !F.contentWindow || !F.contentWindow.desk || !F.contentDocument.body) return undefined;
		return (function (document, desk) { return (` + js + `); })(F.contentDocument, F.contentWindow.desk); })()`
}

// open loads name's desktop and waits until the plugin is ready and the
// dialpad frame is listening.
func (e *env) open(name string) *desk {
	e.t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	return e.load(name, ctx, cancel)
}

// openTab opens another tab of of's agent in of's browser (its storage
// shared), as an agent with Flex open twice has.
func (e *env) openTab(of *desk) *desk {
	e.t.Helper()
	ctx, cancel := chromedp.NewContext(of.ctx)
	return e.load(of.name, ctx, cancel)
}

func (e *env) load(name string, ctx context.Context, cancel context.CancelFunc) *desk {
	e.t.Helper()
	d := &desk{t: e.t, e: e, name: name, ctx: ctx, cancel: cancel}
	e.desks = append(e.desks, d)
	if err := chromedp.Do(ctx); err != nil { // the tab
		e.t.Fatalf("%s: new tab: %v", name, err)
	}
	go d.collect(chromedp.Console(ctx))
	if e.initScript != "" {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: e.initScript}); err != nil {
			e.t.Fatalf("%s: init script: %v", name, err)
		}
	}
	u := e.url + "/demo/agent?worker=" + name
	if !e.stub {
		u += "&flex=real"
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		e.t.Fatalf("%s: navigate: %v", name, err)
	}
	d.waitFor("the plugin to start", `document.body.dataset.ready === "true"`)
	if ok := d.eval(`desk.plugins.every(function (p) { return p.ok; })`); ok != true {
		d.t.Fatalf("%s: plugin failed: %v; log: %s", name, d.eval(`JSON.stringify(desk.plugins.map(function (p) { return p.name + ": " + (p.error && p.error.message) }))`), d.logText())
	}
	d.waitFor("the dialpad", `(function () { var f = document.querySelector('#dialer iframe'); return !!(f && f.contentDocument && f.contentDocument.getElementById("agent-input")); })()`)
	return d
}

// close leaves the page first, so that its event streams end before the
// server shuts down, then closes the tab and its browser context.
func (d *desk) close() {
	if d.shared {
		return
	}
	ctx, cancel := context.WithTimeout(d.ctx, 2*time.Second)
	_ = chromedp.Do(ctx, chromedp.Navigate("about:blank"))
	cancel()
	d.cancel()
}

// collect records the console errors, uncaught exceptions and unhandled
// rejections of the desk's tab (same-origin frames included).
func (d *desk) collect(msgs iter.Seq2[chromedp.ConsoleMessage, error]) {
	for m, err := range msgs {
		if err != nil {
			return
		}
		if m.Type == chromedp.ConsoleError && offlineCDN(m.String(), m.URL) {
			continue
		}
		if m.Type == chromedp.ConsoleError || m.IsException() {
			d.mu.Lock()
			d.errs = append(d.errs, string(m.Type)+": "+m.String()+" ("+m.URL+")")
			d.mu.Unlock()
		}
	}
}

// twilioCDN are the hosts the real Flex UI loads fonts, country lists and
// ringtones from; the tests run offline, where they cannot be reached.
var twilioCDN = []string{"https://assets.twilio.com/", "https://assets.flex.twilio.com/", "https://media.twiliocdn.com/"}

// offlineCDN reports a failed load of one of Twilio's CDN assets, and only that.
func offlineCDN(text, url string) bool {
	if !strings.Contains(text, "Failed to load resource") {
		return false
	}
	for _, h := range twilioCDN {
		if strings.HasPrefix(url, h) {
			return true
		}
	}
	return false
}

// forgive drops one recorded console error containing text (waiting for it
// to be recorded): one the test caused on purpose and checked itself.
func (d *desk) forgive(text string) {
	d.t.Helper()
	found := waitfor.Until(waitLong, func() bool {
		d.mu.Lock()
		defer d.mu.Unlock()
		for i, e := range d.errs {
			if strings.Contains(e, text) {
				d.errs = append(d.errs[:i], d.errs[i+1:]...)
				return true
			}
		}
		return false
	})
	if !found {
		d.t.Errorf("%s: no console error with %q to forgive", d.name, text)
	}
}

// forgiveAny drops the console errors containing text that the desk logged
// so far, however many (none included): for errors a race of the test's own
// making may or may not produce.
func (d *desk) forgiveAny(text string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	kept := d.errs[:0]
	for _, e := range d.errs {
		if !strings.Contains(e, text) {
			kept = append(kept, e)
		}
	}
	d.errs = kept
}

func (d *desk) problems() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.errs...)
}

// eval evaluates JavaScript in the desk page and returns its JSON value.
func (d *desk) eval(js string) any {
	d.t.Helper()
	v, err := chromedp.Run(d.ctx, chromedp.Evaluate[any](d.expr(js)))
	if err != nil {
		d.t.Fatalf("%s: %s: %v", d.name, js, err)
	}
	return v
}

// await evaluates an expression yielding a promise and returns its value.
func (d *desk) await(js string) any {
	d.t.Helper()
	v, err := chromedp.Run(d.ctx, chromedp.Evaluate[any](d.expr(js), chromedp.EvalAwaitPromise))
	if err != nil {
		d.t.Fatalf("%s: %s: %v", d.name, js, err)
	}
	return v
}

func (d *desk) str(js string) string {
	d.t.Helper()
	v, _ := d.eval(js).(string)
	return v
}

// waitFor polls a JavaScript condition.
func (d *desk) waitFor(what, cond string) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.ctx, waitLong)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(`+d.expr(cond)+`)`, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(waitLong))); err != nil {
		d.t.Fatalf("%s: waiting for %s: %v\n%s", d.name, what, err, d.logText())
	}
}

// logText is the desk's event log and visible state, for failure messages.
func (d *desk) logText() string {
	ctx, cancel := context.WithTimeout(d.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](d.expr(`"tasks: " + document.getElementById("tasks").innerText + "\ncall: " + document.getElementById("call").innerText +
		"\nnotifications: " + document.getElementById("notifications").innerText + "\nlog:\n  " + desk.log.join("\n  ")`)))
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return s + "\nconsole errors: " + strings.Join(d.problems(), "; ")
}

// click clicks the element the selector finds in the desk page.
func (d *desk) click(what, sel string) {
	d.t.Helper()
	d.waitFor(what, `!!document.querySelector(`+jsString(sel)+`)`)
	d.eval(`document.querySelector(` + jsString(sel) + `).click(), true`)
}

// task selectors: the desk's task list items carry data-internal,
// data-status, data-task-sid.
const (
	internalTask = `#tasks li.task[data-internal="true"]`
	ordinaryTask = `#tasks li.task[data-internal="false"]`
)

// taskLine is the text of the first internal task's second line ("" without one).
func (d *desk) taskLine() string {
	return d.str(`(function () { var t = document.querySelector('` + internalTask + ` .line2'); return t ? t.textContent : ""; })()`)
}

// callAgent places a call from the dialpad: types the name into Call Agent,
// picks the match, clicks Call.
func (d *desk) callAgent(name string) {
	d.t.Helper()
	d.dialpad("agent", name)
}

// callQueue does the same in the Call Queue tab.
func (d *desk) callQueue(queue string) {
	d.t.Helper()
	d.dialpadJS(`var tab = doc.getElementById("tab-queue"); if (tab) tab.click(); return true;`)
	d.dialpad("queue", queue)
}

// dialpadJS runs a function body with doc = the dialpad frame's document.
func (d *desk) dialpadJS(body string) any {
	d.t.Helper()
	return d.eval(`(function () { var doc = document.querySelector('#dialer iframe').contentDocument; ` + body + ` })()`)
}

func (d *desk) dialpad(section, text string) {
	d.t.Helper()
	d.pick(section, text)
	d.clickCall(section)
}

// clickCall clicks a section's Call button.
func (d *desk) clickCall(section string) {
	d.dialpadJS(`doc.getElementById("` + section + `-call").click(); return true;`)
}

// pick types text into a section's box and picks the match.
func (d *desk) pick(section, text string) { d.pickIn(dialpadFrame, section, text, section+"-call") }

// dialpadFrame is the expression of the dialpad's frame in the desk page.
const dialpadFrame = `document.querySelector('#dialer iframe')`

// pickIn types text into a section's box of the frame (a JavaScript
// expression) and picks the match, until the button (an ID) takes it.
func (d *desk) pickIn(frame, section, text, button string) {
	d.t.Helper()
	in := section + "-input"
	doc := `(` + frame + `).contentDocument`
	d.waitFor("the "+section+" box", `(function () { var f = `+frame+`; return !!(f && f.contentDocument && f.contentDocument.getElementById("`+in+`")); })()`)
	// go-app handles events asynchronously: type, wait for the open list to
	// show the match, pick it, and check the button took the pick; a pick
	// that raced the typing is done again.
	pick := `(function () { var doc = ` + doc + `;
		var list = doc.getElementById("` + section + `-listbox");
		if (!list || list.hidden) return false;
		var o = Array.prototype.filter.call(list.querySelectorAll('li[role="option"]'), function (li) {
			return !li.hidden && li.getAttribute("aria-disabled") !== "true" && li.textContent.indexOf(` + jsString(text) + `) >= 0; })[0];
		if (o) { o.click(); return true; } return false; })()`
	enabled := `(function () { var b = ` + doc + `.getElementById("` + button + `"); return !!b && b.getAttribute("aria-disabled") === "false"; })()`
	for attempt := 1; ; attempt++ {
		d.eval(`(function () { var i = ` + doc + `.getElementById("` + in + `"); i.focus(); i.value = ` + jsString(text) + `; i.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)
		d.waitFor("a match for "+text, pick)
		if d.within(2*time.Second, enabled) {
			break
		}
		if attempt == 3 {
			d.t.Fatalf("%s: %s never took the pick of %s\n%s", d.name, button, text, d.logText())
		}
	}
}

// within polls a condition for at most d and reports whether it held.
func (d *desk) within(limit time.Duration, cond string) bool {
	ctx, cancel := context.WithTimeout(d.ctx, limit+time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(`+d.expr(cond)+`)`, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(limit)))
	return err == nil
}

// dialpadStatus is the text of a section's call status line.
func (d *desk) dialpadStatus(section string) string {
	v, _ := d.dialpadJS(`var s = doc.getElementById("` + section + `-status"); return s ? s.textContent : "";`).(string)
	return v
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
