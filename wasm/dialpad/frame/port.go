package frame

import (
	"sync"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// Port is the dialpad's link with its host.
type Port interface {
	// Start begins delivering the host's accepted messages; deliver may run on
	// any goroutine and must not block.
	Start(deliver func(frameproto.Envelope))
	// Post sends a message to the host (dropped while no origin allows it).
	Post(t frameproto.Type, payload any)
	// Stop removes the listeners.
	Stop()
}

// Fake is an in-memory Port for tests: Receive plays a host message, Sent
// lists what the dialpad posted.
type Fake struct {
	mu      sync.Mutex
	deliver func(frameproto.Envelope)
	sent    []frameproto.Envelope
}

func (f *Fake) Start(deliver func(frameproto.Envelope)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deliver = deliver
}

func (f *Fake) Post(t frameproto.Type, payload any) {
	s, err := frameproto.Encode(t, payload)
	if err != nil {
		panic(err)
	}
	env, _ := frameproto.Decode(s)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, env)
}

func (f *Fake) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deliver = nil
}

// Receive delivers a host message as if it passed the gate; it reports false
// when the dialpad is not listening.
func (f *Fake) Receive(t frameproto.Type, payload any) bool {
	s, err := frameproto.Encode(t, payload)
	if err != nil {
		panic(err)
	}
	env, _ := frameproto.Decode(s)
	f.mu.Lock()
	d := f.deliver
	f.mu.Unlock()
	if d == nil {
		return false
	}
	d(env)
	return true
}

// Sent returns the messages posted so far.
func (f *Fake) Sent() []frameproto.Envelope {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]frameproto.Envelope(nil), f.sent...)
}
