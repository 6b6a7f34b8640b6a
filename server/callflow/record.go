package callflow

import (
	"encoding/json"

	"github.com/flex-internal-call/internal-call/call"
)

// record is a task's internal_call with its PartyState beside it (the
// attribute call.PartiesKey): the call's record on the caller's task, a
// copy or a target's label on the others.
type record struct {
	*call.InternalCall
	*call.PartyState
}

// recordOf reads a task's record. Its PartyState is a decoded copy: after
// changing it, save writes it back into the task's attributes.
func recordOf(t *call.Task) record {
	return record{InternalCall: t.Attributes.InternalCall, PartyState: partyStateOf(t)}
}

// save writes the record's PartyState back into the task's attributes.
func (r record) save(t *call.Task) { setPartyState(t, r.PartyState) }

// partyStateOf decodes a task's PartyState (empty when absent or unreadable:
// the seal decides whether what is there can be trusted).
func partyStateOf(t *call.Task) *call.PartyState {
	s := &call.PartyState{}
	if raw, ok := t.Attributes.Extra[call.PartiesKey]; ok {
		if err := json.Unmarshal(raw, s); err != nil {
			return &call.PartyState{}
		}
	}
	return s
}

// setPartyState writes s into the task's attributes (removes the key when empty).
func setPartyState(t *call.Task, s *call.PartyState) {
	if s.Empty() {
		delete(t.Attributes.Extra, call.PartiesKey)
		return
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // strings, slices and structs of them
	}
	if t.Attributes.Extra == nil {
		t.Attributes.Extra = map[string]json.RawMessage{}
	}
	t.Attributes.Extra[call.PartiesKey] = b
}

// attrs saves the record's PartyState and returns the update writing the
// task's attributes.
func (r record) attrs(t *call.Task) *call.TaskUpdate {
	r.save(t)
	return attrs(t)
}
