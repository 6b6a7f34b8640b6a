package app_test

import (
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
	"github.com/flex-internal-call/internal-call/server/twilioapi"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
	"github.com/flex-internal-call/internal-call/server/twiliosim/twiliosig"
)

// twimlDoc is TwiML parsed generically: attribute order in TwiML is not fixed.
type twimlNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr  `xml:",any,attr"`
	Text     string      `xml:",chardata"`
	Children []twimlNode `xml:",any"`
}

func (n twimlNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n twimlNode) verbs() []string {
	var out []string
	for _, c := range n.Children {
		out = append(out, c.XMLName.Local)
	}
	return out
}

// twiml posts a request signed as Twilio would and parses the TwiML answer.
func (p *product) twiml(path string, form url.Values) twimlNode {
	p.t.Helper()
	u := p.url + path
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twiliosig.Header, twiliosig.Sign(p.sim.Credentials().AuthToken, u, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		p.t.Fatalf("POST %s: %d %s %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var n twimlNode
	if err := xml.Unmarshal(b, &n); err != nil || n.XMLName.Local != "Response" {
		p.t.Fatalf("POST %s: not TwiML: %v %s", path, err, b)
	}
	return n
}

// callerTask creates Alice's caller task directly in the simulator.
func (p *product) callerTask(to call.Target) string {
	p.t.Helper()
	attrs := call.CallerAttributes(call.Caller{ContactURI: "client:alice", Name: "Alice Andrews"}, to)
	t, err := p.sim.TaskRouter.CreateTask(p.sd.WorkspaceSid, taskrouter.TaskParams{
		Attributes: attrs.String(), WorkflowSid: p.sd.AssignToAnyoneWorkflowSid, TaskChannel: "voice",
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return t.Sid
}

const someCall = "CA0123456789abcdef0123456789abcdef"

func TestCallerTwiML(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	task := p.callerTask(call.Target{Kind: call.TargetAgent, ContactURI: "client:bob", Name: "Bob"})
	doc := p.twiml("/twiml/caller?taskSid="+task, url.Values{"CallSid": {someCall}, "To": {"client:alice"}, "From": {"client:alice"}})
	if v := doc.verbs(); len(v) != 1 || v[0] != "Dial" {
		t.Fatalf("verbs %v", v)
	}
	conf := doc.Children[0].Children[0]
	want := map[string]string{
		"startConferenceOnEnter": "false", // ringback plays until the callee joins
		"endConferenceOnExit":    "true",
		"beep":                   "false",
		"waitMethod":             "POST",
		"statusCallbackMethod":   "POST",
		"participantLabel":       "caller",
	}
	for k, v := range want {
		if got := conf.attr(k); got != v {
			t.Errorf("%s=%q, want %q", k, got, v)
		}
	}
	if conf.XMLName.Local != "Conference" || !strings.HasPrefix(strings.TrimSpace(conf.Text), task+"-") {
		t.Errorf("conference %s %q", conf.XMLName.Local, conf.Text)
	}
	events := strings.Fields(conf.attr("statusCallbackEvent"))
	for _, e := range []string{"start", "end", "join", "leave"} {
		if !slices.Contains(events, e) {
			t.Errorf("statusCallbackEvent %v lacks %s", events, e)
		}
	}
	if cb := conf.attr("statusCallback"); cb != p.url+"/callbacks/conference?taskSid="+task {
		t.Errorf("statusCallback %s", cb)
	}
	if w := conf.attr("waitUrl"); !strings.HasPrefix(w, p.url+"/twiml/ringback?") || !strings.Contains(w, "taskSid="+task) {
		t.Errorf("waitUrl %s", w)
	}

	// A leg dialled to someone else than the task's agent is refused.
	doc = p.twiml("/twiml/caller?taskSid="+task, url.Values{"CallSid": {someCall}, "To": {"client:mallory"}})
	if v := doc.verbs(); len(v) != 2 || v[0] != "Say" || v[1] != "Hangup" {
		t.Errorf("foreign leg: %v", v)
	}
}

func TestRingbackTwiML(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	task := p.callerTask(call.Target{Kind: call.TargetAgent, ContactURI: "client:bob", Name: "Bob"})
	since := strconv.FormatInt(time.Now().UnixMilli(), 10)
	doc := p.twiml("/twiml/ringback?taskSid="+task+"&since="+since, url.Values{"CallSid": {someCall}})
	// RING_TIMEOUT is 4s here: shorter than one 6s tone cycle, so a pause, then ask again.
	v := doc.verbs()
	if len(v) != 2 || v[0] != "Pause" || v[1] != "Redirect" {
		t.Fatalf("verbs %v", v)
	}
	if l, _ := strconv.Atoi(doc.Children[0].attr("length")); l < 3 || l > 4 {
		t.Errorf("pause %d s for a 4 s ring timeout", l)
	}
	redirect := doc.Children[1]
	if !strings.HasPrefix(strings.TrimSpace(redirect.Text), p.url+"/twiml/ringback?") || redirect.attr("method") != "POST" {
		t.Errorf("redirect %+v", redirect)
	}
	// Every verb is one wait-URL TwiML may hold (Play, Say, Pause, Redirect).
	for _, verb := range v {
		if !slices.Contains([]string{"Play", "Say", "Pause", "Redirect"}, verb) {
			t.Errorf("verb %s is error 13238 in wait TwiML", verb)
		}
	}
}

func TestRingbackPlaysTheToneForLongTimeouts(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	// A second server with a 30 s ring timeout on the same simulator.
	creds := p.sim.Credentials()
	base, _ := url.Parse(p.twilio)
	tw, _ := twilioapi.New(twilioapi.Options{AccountSid: creds.AccountSid, Username: creds.AccountSid, Password: creds.AuthToken, BaseURL: base, Logger: slog.New(slog.DiscardHandler)})
	sealer, _ := callflow.NewSealer(creds.AuthToken)
	flow := callflow.New(tw.TaskRouter(p.sd.WorkspaceSid), tw, nil, callflow.Settings{PublicBaseURL: p.url, RingTimeout: 30 * time.Second, Sealer: sealer}, slog.New(slog.DiscardHandler))
	alice, bob := p.login("alice"), p.login("bob")
	callerTask := alice.call(agentTarget(bob))
	bob.waitOffer()
	doc, err := flow.Ringback(context.Background(), callflow.RingbackRequest{TaskSid: callerTask, Since: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var n twimlNode
	if err := xml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatal(err)
	}
	if v := n.verbs(); len(v) < 2 || v[0] != "Play" || v[len(v)-1] != "Redirect" {
		t.Fatalf("verbs %v", v)
	}
	play := n.Children[0]
	if loops, _ := strconv.Atoi(play.attr("loop")); loops != 4 && loops != 5 {
		t.Errorf("%s loops of a 6 s tone for 30 s", play.attr("loop"))
	}
	if u := strings.TrimSpace(play.Text); u != p.url+"/media/ringback.wav" {
		t.Errorf("tone %s", u)
	}
	alice.act(callerTask, call.ActionHangup, 200)
	alice.finish()
	p.settled()
}

func TestCalleeTwiMLRefusesAnEndedCall(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask := alice.call(agentTarget(bob))
	res, _ := bob.waitOffer()
	alice.act(callerTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusCanceled)
	// Bob's leg arrives late: it must not open a conference of its own.
	doc := p.twiml("/twiml/callee?taskSid="+res.TaskSid, url.Values{"CallSid": {someCall}, "To": {"client:bob"}})
	if v := doc.verbs(); len(v) != 2 || v[0] != "Say" || v[1] != "Hangup" {
		t.Fatalf("late callee leg got %v", v)
	}
	// And a leg dialled to another agent is refused whatever the state.
	doc = p.twiml("/twiml/callee?taskSid="+res.TaskSid, url.Values{"CallSid": {someCall}, "To": {"client:carol"}})
	if v := doc.verbs(); len(v) != 2 || v[0] != "Say" {
		t.Fatalf("foreign callee leg got %v", v)
	}
	alice.finish()
	p.settled()
}

func TestWorkflowDiscovery(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	creds := p.sim.Credentials()
	base, _ := url.Parse(p.twilio)
	tw, _ := twilioapi.New(twilioapi.Options{AccountSid: creds.AccountSid, Username: creds.AccountSid, Password: creds.AuthToken, BaseURL: base, Logger: slog.New(slog.DiscardHandler)})
	sid, err := callflow.ResolveWorkflow(context.Background(), tw.TaskRouter(p.sd.WorkspaceSid), p.sd.WorkspaceSid, "")
	if err != nil || sid != p.sd.InternalCallWorkflowSid {
		t.Fatalf("discovered %s, %v; want %s", sid, err, p.sd.InternalCallWorkflowSid)
	}
	if _, err := callflow.ResolveWorkflow(context.Background(), tw.TaskRouter(p.sd.WorkspaceSid), p.sd.WorkspaceSid, "WW0123456789abcdef0123456789abcdef"); err == nil || !strings.Contains(err.Error(), "TWILIO_FLEX_INTERNAL_CALL_WORKFLOW_SID") {
		t.Fatalf("unknown configured workflow: %v", err)
	}
	wf, err := p.sim.TaskRouter.Workflow(p.sd.WorkspaceSid, p.sd.InternalCallWorkflowSid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.sim.TaskRouter.CreateWorkflow(p.sd.WorkspaceSid, taskrouter.WorkflowParams{FriendlyName: "Internal Call (copy)", Configuration: wf.Configuration}); err != nil {
		t.Fatal(err)
	}
	_, err = callflow.ResolveWorkflow(context.Background(), tw.TaskRouter(p.sd.WorkspaceSid), p.sd.WorkspaceSid, "")
	if err == nil || !strings.Contains(err.Error(), "Internal Call (copy)") || !strings.Contains(err.Error(), p.sd.InternalCallWorkflowSid) {
		t.Fatalf("several workflows: %v", err)
	}
}
