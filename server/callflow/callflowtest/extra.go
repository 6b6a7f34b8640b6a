package callflowtest

// SetWorkflowConfiguration replaces a workflow's configuration JSON behind
// the flow's back, as an administrator editing the workflow in the console
// would (no hook, no log).
func (tw *Twilio) SetWorkflowConfiguration(sid, configuration string) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.workflows[sid].Configuration = configuration
}

// Revision returns a task's current revision, the number its ETag carries
// (0 when there is no such task).
func (tw *Twilio) Revision(sid string) int {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if t, ok := tw.tasks[sid]; ok {
		return t.revision
	}
	return 0
}

// Writes are the names of the Twilio calls that change state; every other
// call the flow makes only reads.
var Writes = map[string]bool{
	"UpdateTask":        true,
	"CreateTask":        true,
	"RejectReservation": true,
	"EndConference":     true,
	"HoldParticipant":   true,
	"AddParticipant":    true,
	"SetEndOnExit":      true,
	"RedirectCall":      true,
	"EndCall":           true,
}

// WritesIn returns the state-changing calls among ops.
func WritesIn(ops []Op) []Op {
	var out []Op
	for _, o := range ops {
		if Writes[o.Name] {
			out = append(out, o)
		}
	}
	return out
}

// CountIn returns how many of ops are named name.
func CountIn(ops []Op, name string) int {
	n := 0
	for _, o := range ops {
		if o.Name == name {
			n++
		}
	}
	return n
}

// MissingSID is a well-formed SID with the prefix that no resource in any
// account has (the in-memory store numbers its SIDs from 1).
func MissingSID(prefix string) string {
	return prefix + "ffffffffffffffffffffffffffffffff"
}
