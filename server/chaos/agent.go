package chaos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

// Agent is one simulated agent's browser: its Flex token, its own network
// address (each browser has its own: the product limits sign-in checks per
// client address), and a wake-up for its polls.
type Agent struct {
	Name, Token, WorkerSid, Contact, FullName string

	h    *harness
	api  *http.Client // to the product, through the proxy, from the agent's address
	wake chan struct{}
}

// agentAddr is the loopback address agent i's browser connects from.
func agentAddr(i int) net.IP { return net.IPv4(127, 10, byte(i/200), byte(10+i%200)) }

func newAgentClient(local net.IP) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, LocalAddr: &net.TCPAddr{IP: local}}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConnsPerHost: 2, IdleConnTimeout: 20 * time.Second,
	}}
}

// login signs the agent in (the simulator's stand-in for Flex SSO).
func (h *harness) login(ctx context.Context, name string, i int) (*Agent, error) {
	var out struct {
		Token  string `json:"token"`
		Worker struct {
			Sid        string `json:"sid"`
			ContactURI string `json:"contact_uri"`
			FullName   string `json:"full_name"`
		} `json:"worker"`
	}
	if st, b, err := h.sim(ctx, http.MethodPost, "/login", "", map[string]string{"worker": name}, &out); err != nil || st != 200 {
		return nil, fmt.Errorf("login %s: %d %s %v", name, st, b, err)
	}
	return &Agent{Name: name, Token: out.Token, WorkerSid: out.Worker.Sid, Contact: out.Worker.ContactURI,
		FullName: out.Worker.FullName, h: h, api: newAgentClient(agentAddr(i)), wake: make(chan struct{}, 1)}, nil
}

// sim calls the simulator's agents API (what the Flex SDK talks to).
func (h *harness) sim(ctx context.Context, method, path, token string, in, out any) (int, string, error) {
	return doJSON(ctx, h.simHTTP, method, h.env.agentsURL+path, token, in, out)
}

func doJSON(ctx context.Context, c *http.Client, method, url, token string, in, out any) (int, string, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, "", err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return 0, "", err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set(call.FlexTokenHeader, token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, "", err
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, string(b), fmt.Errorf("%s %s: %w", method, url, err)
		}
	}
	return resp.StatusCode, string(b), nil
}

// me is what the agent's page knows: open reservations and their tasks.
type me struct {
	Reservations []struct {
		Sid     string `json:"sid"`
		TaskSid string `json:"task_sid"`
		Status  string `json:"reservation_status"`
	} `json:"reservations"`
	Tasks []struct {
		Sid              string          `json:"sid"`
		AssignmentStatus string          `json:"assignment_status"`
		Attributes       call.Attributes `json:"attributes"`
	} `json:"tasks"`
}

// offer is a pending reservation of an internal-call task.
type offer struct {
	ResSid, TaskSid string
	Attrs           call.Attributes
}

// calleeTwiMLURL is the callee TwiML URL the bridge builds from the offered
// task: its caller's task and conference as hints.
func (o offer) calleeTwiMLURL(base string) string {
	caller, conf := "", ""
	if ic := o.Attrs.InternalCall; ic != nil {
		caller = ic.CallerTaskSid
	}
	if c := o.Attrs.Conference; c != nil {
		conf = c.Sid
	}
	return call.CalleeTwiMLURL(base, o.TaskSid, caller, conf)
}

// offer finds a pending reservation whose task satisfies pred.
func (m me) offer(pred func(taskSid string, a call.Attributes) bool) (offer, bool) {
	for _, r := range m.Reservations {
		if r.Status != "pending" {
			continue
		}
		for _, t := range m.Tasks {
			if t.Sid == r.TaskSid && t.Attributes.IsInternalCall() && pred(t.Sid, t.Attributes) {
				return offer{ResSid: r.Sid, TaskSid: t.Sid, Attrs: t.Attributes}, true
			}
		}
	}
	return offer{}, false
}

func (m me) status(taskSid string) call.Status {
	for _, t := range m.Tasks {
		if t.Sid == taskSid && t.Attributes.InternalCall != nil {
			return t.Attributes.InternalCall.Status
		}
	}
	return ""
}

// assignment is the task's assignment status as the page knows it ("" once
// it is gone from the page: completed or canceled).
func (m me) assignment(taskSid string) string {
	for _, t := range m.Tasks {
		if t.Sid == taskSid {
			return t.AssignmentStatus
		}
	}
	return ""
}

func (a *Agent) me(ctx context.Context) (me, error) {
	var m me
	st, b, err := a.h.sim(ctx, http.MethodGet, "/me", a.Token, nil, &m)
	if err == nil && st != 200 {
		err = fmt.Errorf("GET /me: %d %s", st, b)
	}
	return m, err
}

// until polls cond, woken early when TaskRouter has an event for the agent
// (backing off to maxPoll between polls otherwise), until it holds or ctx ends.
// (Not internal/waitfor: polling every 5 ms for each of 1,200 agents would be
// the load of the run; the bound is ctx's.)
func (a *Agent) until(ctx context.Context, maxPoll time.Duration, cond func() bool) bool {
	wait := 20 * time.Millisecond
	for {
		select {
		case <-a.wake:
		default:
		}
		if cond() {
			return true
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-a.wake:
			t.Stop()
		case <-t.C:
			wait = min(wait*2, maxPoll)
		}
	}
}

// waitOffer waits for an offer of a task pred accepts, reading /me.
func (a *Agent) waitOffer(ctx context.Context, pred func(taskSid string, attrs call.Attributes) bool) (offer, error) {
	var o offer
	var lastErr error
	ok := a.until(ctx, 500*time.Millisecond, func() bool {
		m, err := a.me(ctx)
		if err != nil {
			lastErr = err
			return false
		}
		var found bool
		o, found = m.offer(pred)
		return found
	})
	if !ok {
		return o, errors.Join(errors.New("no offer"), lastErr)
	}
	return o, nil
}

// createTask is workerClient.createTask as the bridge calls it on a click on Call.
func (a *Agent) createTask(ctx context.Context, target call.Target) (string, error) {
	attrs := call.CallerAttributes(call.Caller{ContactURI: a.Contact, Name: a.FullName}, target)
	sd := a.h.sd
	var out struct {
		TaskSid string `json:"task_sid"`
	}
	st, b, err := a.h.sim(ctx, http.MethodPost, "/tasks", a.Token, map[string]any{
		"to": target.Address(), "from": a.Contact,
		"workflowSid": sd.AssignToAnyoneWorkflowSid, "taskQueueSid": sd.EveryoneQueueSid,
		"options": map[string]any{"taskChannelUniqueName": "voice", "attributes": json.RawMessage(attrs.String())},
	}, &out)
	if err == nil && (st != 201 || out.TaskSid == "") {
		err = fmt.Errorf("createTask: %d %s", st, b)
	}
	return out.TaskSid, err
}

// callReservation is reservation.call(from, twimlURL, {accept: true,
// statusCallbackUrl}) for the leg of taskSid, as the bridge calls it.
func (a *Agent) callReservation(ctx context.Context, resSid, taskSid, twimlURL string) error {
	options := map[string]any{"accept": true, "statusCallbackUrl": call.LegStatusURL(a.h.env.publicURL, taskSid)}
	st, b, err := a.h.sim(ctx, http.MethodPost, "/reservations/"+resSid+"/call", a.Token,
		map[string]any{"from": a.Contact, "url": twimlURL, "options": options}, nil)
	if err == nil && st != 200 {
		err = fmt.Errorf("reservation.call %s: %d %s", resSid, st, b)
	}
	return err
}

// complete ends the agent's wrap-up of a task.
// A task already gone (404: completed meanwhile by the agent's own loop, the
// other side of a race with the settle's sweep) is done.
func (a *Agent) complete(ctx context.Context, taskSid string) error {
	st, b, err := a.h.sim(ctx, http.MethodPost, "/tasks/"+taskSid+"/complete", a.Token, map[string]any{}, nil)
	if err == nil && st != 200 && st != http.StatusNotFound {
		err = fmt.Errorf("complete %s: %d %s", taskSid, st, b)
	}
	return err
}

// actResult is how a click on an action went.
type actResult struct {
	by       *Agent // who clicked
	action   call.CallAction
	status   int
	body     string
	attempts int
	first    time.Time // the first click
	done     time.Time // the answer that ended the clicking
}

func (r actResult) ok() bool { return r.status/100 == 2 }

// act clicks an action in the agent's Flex (POST /api/calls/{task}/{action}
// through the proxy). A refusal an agent would meet by clicking again (429,
// 5xx, 409 "still being set up", no answer) is clicked again after a moment,
// up to a bound; every refusal is counted.
func (a *Agent) act(ctx context.Context, taskSid string, action call.CallAction) actResult {
	return a.click(ctx, action, http.MethodPost, call.CallActionURL(a.h.env.publicURL, taskSid, action), nil, nil, 3)
}

// click sends one request of the agent's Flex to the product's API, clicked
// again on a refusal an agent would meet by clicking again: 429, 5xx, no
// answer, and up to conflicts times a 409. out receives a 2xx answer's body.
func (a *Agent) click(ctx context.Context, action call.CallAction, method, u string, in, out any, conflicts int) actResult {
	return a.clickUnless(ctx, action, method, u, in, out, conflicts, nil)
}

// clickUnless is click for a request that is not safe to send twice: before
// clicking again, the agent looks whether an earlier click went through
// despite its refusal (went), and stops clicking when it did.
func (a *Agent) clickUnless(ctx context.Context, action call.CallAction, method, u string, in, out any, conflicts int, went func() bool) actResult {
	r := actResult{by: a, action: action, first: time.Now()}
	for r.attempts = 1; ; r.attempts++ {
		st, b, err := doJSON(ctx, a.api, method, u, a.Token, in, out)
		r.status, r.body = st, b
		if err != nil {
			r.body = err.Error()
		}
		r.done = time.Now()
		if err == nil && st/100 == 2 {
			return r
		}
		if err != nil && st/100 == 2 {
			r.status = 0 // an answer that could not be read is no answer
		}
		a.h.countAPIError(action, r.status)
		retry := err != nil || st == http.StatusTooManyRequests || st >= 500
		if st == http.StatusConflict {
			conflicts--
			retry = conflicts >= 0
		}
		if !retry || r.attempts >= 12 || ctx.Err() != nil {
			return r
		}
		wait := 300 * time.Millisecond
		if st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable {
			wait = time.Second // the product's Retry-After
		}
		select {
		case <-ctx.Done():
			return r
		case <-time.After(wait):
		}
		if went != nil && went() {
			return r
		}
	}
}

// warmUp opens the agent's dialpad: GET /api/queues, as the bridge does when
// Flex loads, once from each replica (each checks the Flex token with IAM the
// first time it sees it, within its own rate limits).
func (a *Agent) warmUp(ctx context.Context, replicas int) error {
	for r := range replicas {
		var last string
		ok := false
		for attempt := 0; attempt < 60 && !ok; attempt++ {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.h.env.publicURL+call.PathAPIQueues, nil)
			req.Header.Set(call.FlexTokenHeader, a.Token)
			req.Header.Set(BackendHeader, strconv.Itoa(r))
			resp, err := a.api.Do(req)
			if err != nil {
				last = err.Error()
			} else {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				last, ok = resp.Status, resp.StatusCode == 200
				if !ok {
					a.h.countAPIError("queues", resp.StatusCode)
				}
			}
			if !ok && !sleepCtx(ctx, time.Second) {
				return ctx.Err()
			}
		}
		if !ok {
			return fmt.Errorf("%s: the dialpad did not load from replica %d: %s", a.Name, r, last)
		}
	}
	return nil
}

// apiErrors counts the product API's refusals by action and status.
type apiErrors struct {
	mu sync.Mutex
	m  map[string]int
}

func (h *harness) countAPIError(action call.CallAction, status int) {
	h.apiErr.mu.Lock()
	defer h.apiErr.mu.Unlock()
	if h.apiErr.m == nil {
		h.apiErr.m = map[string]int{}
	}
	key := string(action) + " " + strconv.Itoa(status)
	if status == 0 {
		key = string(action) + " no answer"
	}
	h.apiErr.m[key]++
}
