package demo

import (
	"encoding/json"
	"net/http"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// describeTask tells the simulator's page what a task's attributes say of
// the internal call it belongs to.
func describeTask(attributes string) twiliosim.TaskSummary {
	a, err := call.ParseAttributes(attributes)
	if err != nil {
		return twiliosim.TaskSummary{}
	}
	s := twiliosim.TaskSummary{To: a.To, From: a.From}
	if ic := a.InternalCall; ic != nil {
		s.Role, s.CallStatus, s.Reason = string(ic.Role), string(ic.Status), ic.Reason
	}
	return s
}

// callerTask is what the simulator's page needs to create a caller's task as
// the plugin would: createTask's to and from, and the attributes
// call.CallerAttributes builds (so the page keeps no copy of the schema).
type callerTask struct {
	To         string          `json:"to"`
	From       string          `json:"from"`
	Attributes call.Attributes `json:"attributes"`
}

// serveCallerTask answers GET /sim/demo/attributes?caller=alice&kind=agent|queue&target=bob|Sales.
func (d *Demo) serveCallerTask(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	st := d.Sim.State()
	agent := func(name string) (twiliosim.PageAgent, bool) {
		for _, a := range st.Agents {
			if a.Name == name {
				return a, true
			}
		}
		return twiliosim.PageAgent{}, false
	}
	caller, ok := agent(q.Get("caller"))
	if !ok {
		http.Error(w, "no agent named "+q.Get("caller"), http.StatusNotFound)
		return
	}
	var to call.Target
	switch call.TargetKind(q.Get("kind")) {
	case call.TargetAgent:
		callee, ok := agent(q.Get("target"))
		if !ok {
			http.Error(w, "no agent named "+q.Get("target"), http.StatusNotFound)
			return
		}
		to = call.Target{Kind: call.TargetAgent, ContactURI: callee.ContactURI, Name: displayName(callee)}
	case call.TargetQueue:
		to = call.Target{Kind: call.TargetQueue, QueueName: q.Get("target"), Name: q.Get("target")}
	default:
		http.Error(w, "kind must be agent or queue", http.StatusBadRequest)
		return
	}
	from := call.Caller{ContactURI: caller.ContactURI, Name: displayName(caller)}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(callerTask{To: to.Address(), From: from.ContactURI, Attributes: call.CallerAttributes(from, to)})
}

// displayName is how Flex names a worker: full_name, else the friendly name.
func displayName(a twiliosim.PageAgent) string {
	if a.FullName != "" {
		return a.FullName
	}
	return a.Name
}
