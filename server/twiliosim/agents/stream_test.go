package agents_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/twiliosim/agents"
)

// muxEvent is a shared stream's message event.
type muxEvent struct {
	Key  string          `json:"key"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// sharedStream opens a shared stream and returns its id and its message events.
func (f *fixture) sharedStream(ctx context.Context) (string, <-chan muxEvent) {
	f.t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.srv.URL+"/agents/stream", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		f.t.Fatalf("stream: %d %s", resp.StatusCode, ct)
	}
	sc := bufio.NewScanner(resp.Body)
	var id string
	for id == "" && sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			var v struct{ ID string }
			if err := json.Unmarshal([]byte(d), &v); err != nil || v.ID == "" {
				f.t.Fatalf("first event of the stream: %s", d)
			}
			id = v.ID
		}
	}
	out := make(chan muxEvent, 64)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		named := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				named = false
			case strings.HasPrefix(line, "event: "):
				named = true
			case strings.HasPrefix(line, "data: ") && !named:
				var m muxEvent
				if json.Unmarshal([]byte(line[len("data: "):]), &m) == nil {
					out <- m
				}
			}
		}
	}()
	return id, out
}

const waitShort = 5 * time.Second

// nextMux waits for the event of the given key and type.
func nextMux(t *testing.T, ch <-chan muxEvent, key, typ string) muxEvent {
	t.Helper()
	timeout := time.After(waitShort)
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended before %s %s", key, typ)
			}
			if m.Key == key && m.Type == typ {
				return m
			}
		case <-timeout:
			t.Fatalf("no %s event for %s", typ, key)
		}
	}
}

func (f *fixture) follow(as, id, key string, observe bool) int {
	f.t.Helper()
	return f.do(as, "POST", "/streams/"+id+"/follow", map[string]any{"key": key, "observe": observe}, nil)
}

func (f *fixture) createTask(as string) int {
	f.t.Helper()
	return f.do(as, "POST", "/tasks", map[string]any{
		"to": "client:bob", "from": "client:" + as, "workflowSid": f.flow, "taskQueueSid": f.queue,
		"options": map[string]any{"taskChannelUniqueName": "voice", "attributes": map[string]any{"client_call": true}},
	}, nil)
}

// A page follows several agents on one stream: each agent's events come
// tagged with the key the page gave the follow, after a ready of its own.
func TestSharedStreamCarriesEveryAgentAPageFollows(t *testing.T) {
	f := newFixture(t)
	f.login("alice")
	f.login("bob")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	id, events := f.sharedStream(ctx)
	if st := f.follow("alice", id, "desk-alice", false); st != 204 {
		t.Fatalf("follow alice: %d", st)
	}
	nextMux(t, events, "desk-alice", "ready")
	if st := f.follow("bob", id, "desk-bob", false); st != 204 {
		t.Fatalf("follow bob: %d", st)
	}
	var bob agents.Agent
	if err := json.Unmarshal(nextMux(t, events, "desk-bob", "ready").Data, &bob); err != nil || bob.Sid != f.bob.Sid {
		t.Errorf("bob's ready: %+v %v", bob, err)
	}
	if n := f.svc.OpenStreams(); n != 1 {
		t.Errorf("%d streams open, want the one shared stream", n)
	}
	if !f.svc.DeskOpen(f.alice.Sid) || !f.svc.DeskOpen(f.bob.Sid) {
		t.Error("a desk following its agent on a shared stream does not count as open")
	}

	if st := f.createTask("alice"); st != 201 {
		t.Fatalf("createTask: %d", st)
	}
	var ev agents.TaskRouterEvent
	if err := json.Unmarshal(nextMux(t, events, "desk-alice", "reservation.created").Data, &ev); err != nil || ev.WorkerSid != f.alice.Sid {
		t.Errorf("alice's reservation.created: %+v %v", ev, err)
	}

	// A desk frame that closes stops following; the stream goes on for the others.
	if st := f.do("", "DELETE", "/streams/"+id+"/follows/desk-alice", nil, nil); st != 204 {
		t.Errorf("unfollow: %d", st)
	}
	if f.svc.DeskOpen(f.alice.Sid) || !f.svc.DeskOpen(f.bob.Sid) {
		t.Error("after alice's unfollow: alice's desk should be closed, bob's open")
	}
	if st := f.follow("alice", "0123456789abcdef0123456789abcdef", "k", false); st != 404 {
		t.Errorf("follow of a stream that does not exist: %d", st)
	}

	// The page goes away: every follow ends with its stream.
	cancel()
	for range events {
	}
	if !waitfor.Until(waitShort, func() bool { return !f.svc.DeskOpen(f.bob.Sid) && f.svc.OpenStreams() == 0 }) {
		t.Error("the stream's follows outlived it")
	}
}

// The simulator's page logs in as an observer: it may act for an agent with
// no desk open, and is refused with a reason while the agent's desk is open
// (two actors on one reservation collide). Its own follows are not desks.
func TestObserverActsOnlyForAgentsWithoutAnOpenDesk(t *testing.T) {
	f := newFixture(t)
	f.login("alice")
	var obs struct{ Token string }
	if st := f.do("", "POST", "/login", map[string]any{"worker": "alice", "observer": true}, &obs); st != 200 || obs.Token == "" {
		t.Fatalf("observer login: %d", st)
	}
	f.tokens["observer"] = obs.Token
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	simID, simEvents := f.sharedStream(ctx)
	if st := f.follow("observer", simID, "alice", true); st != 204 {
		t.Fatalf("observer follow: %d", st)
	}
	nextMux(t, simEvents, "alice", "ready")
	if f.svc.DeskOpen(f.alice.Sid) {
		t.Fatal("an observer's follow counts as a desk")
	}
	if st := f.createTask("observer"); st != 201 {
		t.Fatalf("observer acting for alice with no desk open: %d", st)
	}

	deskID, deskEvents := f.sharedStream(ctx)
	if st := f.follow("alice", deskID, "desk", false); st != 204 {
		t.Fatalf("desk follow: %d", st)
	}
	nextMux(t, deskEvents, "desk", "ready")
	var refused struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if st := f.do("observer", "POST", "/tasks", map[string]any{
		"to": "client:bob", "from": "client:alice", "workflowSid": f.flow, "taskQueueSid": f.queue,
	}, &refused); st != 409 || !strings.Contains(refused.Message, "alice's desk is open") {
		t.Errorf("observer acting for alice while her desk is open: %d %+v", st, refused)
	}
	for _, path := range []string{"/activity", "/hangup", "/reservations/WR00000000000000000000000000000000/accept",
		"/reservations/WR00000000000000000000000000000000/call", "/tasks/WT00000000000000000000000000000000/complete"} {
		if st := f.do("observer", "POST", path, map[string]any{}, nil); st != 409 {
			t.Errorf("observer POST %s while alice's desk is open: %d, want 409", path, st)
		}
	}
	if st := f.createTask("alice"); st != 201 {
		t.Errorf("alice's own desk acting: %d", st)
	}
	var me agents.Me
	if st := f.do("observer", "GET", "/me", nil, &me); st != 200 {
		t.Errorf("observer reading alice: %d", st)
	}

	// Refreshing keeps the observer an observer.
	var rotated struct{ Token string }
	if st := f.do("observer", "POST", "/refresh", nil, &rotated); st != 200 {
		t.Fatalf("refresh: %d", st)
	}
	f.tokens["observer"] = rotated.Token
	if st := f.createTask("observer"); st != 409 {
		t.Errorf("a refreshed observer token acting while alice's desk is open: %d", st)
	}

	if st := f.do("", "DELETE", "/streams/"+deskID+"/follows/desk", nil, nil); st != 204 {
		t.Fatalf("unfollow: %d", st)
	}
	if st := f.createTask("observer"); st != 201 {
		t.Errorf("observer acting for alice once her desk closed: %d", st)
	}
	cancel()
	for range simEvents {
	}
	for range deskEvents {
	}
}
