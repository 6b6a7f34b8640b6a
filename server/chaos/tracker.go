package chaos

import (
	"strings"
	"sync"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// tracker watches the simulated Voice (in process, observing only): when both
// legs of a call are in its conference at once, and what every leg heard.
type tracker struct {
	mu    sync.Mutex
	calls map[string]*track   // caller task SID → its conference's story
	legs  map[string]string   // call SID → caller task SID, for legs that joined
	says  map[string][]string // call SID → what it was told (<Say>)
	// answered is when the first call to an address was answered (each
	// caller places one call in a run).
	answered map[string]time.Time
}

// track is what happened in one call's conference(s).
type track struct {
	connectedAt time.Time
	connected   chan struct{} // closed once both legs were in at once
	calleeLeg   string
	// joined is when each participant label (caller, callee, transfer-N,
	// external-N) first joined the conference.
	joined map[string]time.Time
}

func newTracker() *tracker {
	return &tracker{calls: map[string]*track{}, legs: map[string]string{}, says: map[string][]string{},
		answered: map[string]time.Time{}}
}

// get returns the track of a caller task, creating it.
func (tr *tracker) get(callerTask string) *track {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.getLocked(callerTask)
}

func (tr *tracker) getLocked(callerTask string) *track {
	t, ok := tr.calls[callerTask]
	if !ok {
		t = &track{connected: make(chan struct{}), joined: map[string]time.Time{}}
		tr.calls[callerTask] = t
	}
	return t
}

// on handles one voice event (the engine delivers them in order).
func (tr *tracker) on(ev voice.Event) {
	switch {
	case ev.Type == voice.EventCallStatus && ev.Call != nil && ev.Call.Status == "in-progress":
		tr.mu.Lock()
		if _, ok := tr.answered[ev.Call.To]; !ok {
			tr.answered[ev.Call.To] = ev.Time
		}
		tr.mu.Unlock()
	case ev.Type == voice.EventMedia && ev.Call != nil:
		if text, ok := strings.CutPrefix(ev.Media, "say: "); ok {
			tr.mu.Lock()
			tr.says[ev.Call.Sid] = append(tr.says[ev.Call.Sid], text)
			tr.mu.Unlock()
		}
	case ev.Type == "participant-join" && ev.Conference != nil && ev.Participant != nil:
		// The product names each call's conference <caller task SID>-<tag>.
		callerTask, _, ok := strings.Cut(ev.Conference.FriendlyName, "-")
		if !ok {
			return
		}
		tr.mu.Lock()
		defer tr.mu.Unlock()
		tr.legs[ev.Participant.CallSid] = callerTask
		t := tr.getLocked(callerTask)
		if l := ev.Participant.Label; l != "" {
			if _, ok := t.joined[l]; !ok {
				t.joined[l] = ev.Time
			}
		}
		var caller, callee string
		for _, p := range ev.Conference.Participants {
			switch p.Label {
			case "caller":
				caller = p.CallSid
			case "callee":
				callee = p.CallSid
			}
		}
		if caller != "" && callee != "" && t.connectedAt.IsZero() {
			t.connectedAt, t.calleeLeg = ev.Time, callee
			close(t.connected)
		}
	}
}

// heard is what a leg was told.
func (tr *tracker) heard(callSid string) []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.says[callSid]...)
}

// legCall is the caller task of the conference a leg joined.
func (tr *tracker) legCall(callSid string) (string, bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	c, ok := tr.legs[callSid]
	return c, ok
}

func (tr *tracker) connectedAt(callerTask string) (time.Time, bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	t, ok := tr.calls[callerTask]
	if !ok || t.connectedAt.IsZero() {
		return time.Time{}, false
	}
	return t.connectedAt, true
}

// joinedAt is when the participant label first joined the call's conference.
func (tr *tracker) joinedAt(callerTask, label string) (time.Time, bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	t, ok := tr.calls[callerTask]
	if !ok {
		return time.Time{}, false
	}
	at, ok := t.joined[label]
	return at, ok
}

// answeredAt is when the first call to an address was answered.
func (tr *tracker) answeredAt(to string) (time.Time, bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	t, ok := tr.answered[to]
	return t, ok
}
