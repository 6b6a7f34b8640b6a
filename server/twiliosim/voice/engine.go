package voice

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Engine is the simulated Twilio Voice of one account.
type Engine struct {
	cfg    Config
	client *http.Client
	log    *slog.Logger
	speed  float64

	// ctx ends with Close; every call goroutine and callback hangs off it.
	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu       sync.Mutex
	closed   bool     // no new call or goroutine once Close began
	after    []func() // run by unlock, outside the lock
	calls    map[string]*call
	callList []*call
	confs    map[string]*conference
	confList []*conference
	active   map[string]*conference // friendly name → conference not yet completed
	errs     []error
	subs     map[int]func(Event)
	nextSub  int
	streams  map[string]Dispatcher // open callback streams
	draining []Dispatcher          // closed streams not yet known to be delivered
	sends    int                   // every Send so far, so Wait can tell when things settle
	events   *queue                // subscriber events, in order
	media    map[string]time.Duration
}

// New returns an engine; it starts no goroutine until a call is placed.
func New(cfg Config) *Engine {
	e := &Engine{
		cfg:     cfg,
		client:  cfg.HTTPClient,
		log:     cfg.Logger,
		speed:   cfg.MediaSpeed,
		calls:   map[string]*call{},
		confs:   map[string]*conference{},
		active:  map[string]*conference{},
		subs:    map[int]func(Event){},
		streams: map[string]Dispatcher{},
		events:  newQueue(),
		media:   map[string]time.Duration{},
	}
	if e.client == nil {
		e.client = &http.Client{Timeout: 15 * time.Second}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.speed <= 0 {
		e.speed = 1
	}
	e.ctx, e.stop = context.WithCancel(context.Background())
	return e
}

// Close ends every call (canceled when not answered yet, else completed)
// and waits for the call goroutines to end. Queued callbacks are still
// delivered (Wait); requests they make fail fast.
func (e *Engine) Close() {
	e.lock()
	e.closed = true
	for _, c := range e.callList {
		switch c.status {
		case "queued", "ringing":
			e.endLocked(c, "canceled", "participant_hung_up")
		case "in-progress":
			e.endLocked(c, "completed", "participant_hung_up")
		}
	}
	e.unlock()
	e.stop()
	e.wg.Wait()
}

// lock and unlock guard the state; unlock runs the effects queued with
// afterUnlock (user hooks such as OnEnded), which may call back into the engine.
func (e *Engine) lock() { e.mu.Lock() }

func (e *Engine) unlock() {
	fx := e.after
	e.after = nil
	e.mu.Unlock()
	for _, f := range fx {
		f()
	}
}

func (e *Engine) afterUnlock(f func()) { e.after = append(e.after, f) }

// Calls returns a snapshot of every call, oldest first.
func (e *Engine) Calls() []Call {
	e.lock()
	defer e.unlock()
	out := make([]Call, 0, len(e.callList))
	for _, c := range e.callList {
		out = append(out, c.snapshot(e))
	}
	return out
}

// LiveCallsTo returns the calls dialled to an address that have not ended,
// oldest first: what the agent's voice client at that address has up. It
// snapshots only those (Calls copies every call ever placed).
func (e *Engine) LiveCallsTo(to string) []Call {
	e.lock()
	defer e.unlock()
	out := []Call{}
	for _, c := range e.callList {
		if c.to == to && !c.final() {
			out = append(out, c.snapshot(e))
		}
	}
	return out
}

// ConferenceOfCall returns the conference a call is in now (with its current
// participants), and false when it is in none.
func (e *Engine) ConferenceOfCall(callSid string) (Conference, bool) {
	e.lock()
	defer e.unlock()
	c, ok := e.calls[callSid]
	if !ok || c.part == nil || c.part.left || c.part.conf.status == "completed" {
		return Conference{}, false
	}
	return c.part.conf.snapshot(e, true), true
}

// Call returns a snapshot of one call.
func (e *Engine) Call(sid string) (Call, bool) {
	e.lock()
	defer e.unlock()
	c, ok := e.calls[sid]
	if !ok {
		return Call{}, false
	}
	return c.snapshot(e), true
}

// Conference returns a snapshot of one conference with its participants.
func (e *Engine) Conference(sid string) (Conference, bool) {
	e.lock()
	defer e.unlock()
	cf, ok := e.confs[sid]
	if !ok {
		return Conference{}, false
	}
	return cf.snapshot(e, true), true
}

// Conferences returns a snapshot of every conference with its current
// participants, oldest first.
func (e *Engine) Conferences() []Conference {
	e.lock()
	defer e.unlock()
	out := make([]Conference, 0, len(e.confList))
	for _, cf := range e.confList {
		out = append(out, cf.snapshot(e, true))
	}
	return out
}

// Subscribe registers f for every Event; events are delivered in order on one
// goroutine, so f must not block for long. cancel stops the delivery.
func (e *Engine) Subscribe(f func(Event)) (cancel func()) {
	e.lock()
	defer e.unlock()
	id := e.nextSub
	e.nextSub++
	e.subs[id] = f
	return func() {
		e.lock()
		delete(e.subs, id)
		e.unlock()
	}
}

// emitLocked queues ev for the subscribers.
func (e *Engine) emitLocked(ev Event) {
	ev.Time = time.Now()
	if ev.Type != EventMedia {
		// Media events come as long as music plays: Wait must not chase them.
		e.sends++
	}
	e.events.Send(func() {
		e.mu.Lock()
		ids := make([]int, 0, len(e.subs))
		for id := range e.subs {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		fs := make([]func(Event), 0, len(ids))
		for _, id := range ids {
			fs = append(fs, e.subs[id])
		}
		e.mu.Unlock()
		for _, f := range fs {
			f(ev)
		}
	})
}

// Errors returns the TwiML and webhook errors met so far (*rest.Error with
// Twilio's codes, e.g. 11200, 12100, 12300, 13238).
func (e *Engine) Errors() []error {
	e.lock()
	defer e.unlock()
	return append([]error(nil), e.errs...)
}

// fail records a Twilio error met while executing a call.
func (e *Engine) fail(callSid string, code int, format string, args ...any) {
	err := rest.Errorf(0, code, format, args...)
	e.log.Warn("twiml error", "call", callSid, "code", code, "message", err.Message)
	e.lock()
	e.errs = append(e.errs, err)
	e.unlock()
}

// stream returns the open callback stream named name, creating it.
func (e *Engine) streamLocked(name string) Dispatcher {
	d, ok := e.streams[name]
	if !ok {
		if e.cfg.Callbacks != nil {
			d = e.cfg.Callbacks(name)
		}
		if d == nil {
			d = newQueue()
		}
		e.streams[name] = d
	}
	return d
}

// sendLocked queues f on the stream. It runs under the lock so that the order
// of Sends is the order of the state changes: Dispatcher.Send must only enqueue.
func (e *Engine) sendLocked(stream string, f func()) {
	e.sends++
	e.streamLocked(stream).Send(f)
}

// closeStreamLocked closes a stream after its last Send; Wait still waits for it.
func (e *Engine) closeStreamLocked(name string) {
	if d, ok := e.streams[name]; ok {
		delete(e.streams, name)
		d.Close()
		e.draining = append(e.draining, d)
	}
}

// Wait blocks until every callback and event queued so far, and those their
// delivery caused, are delivered. TwiML still running may queue more later.
func (e *Engine) Wait(ctx context.Context) error {
	for {
		e.lock()
		before := e.sends
		ds := []Dispatcher{e.events}
		for _, d := range e.streams {
			ds = append(ds, d)
		}
		ds = append(ds, e.draining...)
		e.unlock()
		for _, d := range ds {
			if err := d.Wait(ctx); err != nil {
				return err
			}
		}
		e.lock()
		settled := e.sends == before
		if settled {
			// Closed streams delivered everything they will ever get.
			e.draining = withoutDone(e.draining, ds)
		}
		e.unlock()
		if settled {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// withoutDone drops the dispatchers just waited for (Dispatchers are
// compared as interface values: implementations are pointers).
func withoutDone(all, done []Dispatcher) []Dispatcher {
	return slices.DeleteFunc(all, func(d Dispatcher) bool { return slices.Contains(done, d) })
}

// sleep waits d of media time (scaled by MediaSpeed); false when ctx ended first.
func (e *Engine) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(time.Duration(float64(d) / e.speed))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

var errEngineClosed = errors.New("voice: engine closed")
