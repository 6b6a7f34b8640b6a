package twiliosim

import (
	"encoding/json"
	"net/http"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// demoCall is what the page needs to create a caller's task as the plugin
// would: createTask's to and from, and the attributes call.CallerAttributes
// builds (so the page does not keep its own copy of the schema).
type demoCall struct {
	To         string          `json:"to"`
	From       string          `json:"from"`
	Attributes call.Attributes `json:"attributes"`
}

// serveDemoAttributes answers GET demo/attributes?caller=alice&kind=agent|queue&target=bob|Sales.
func (s *Sim) serveDemoAttributes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	st := s.State()
	agent := func(name string) (PageAgent, bool) {
		for _, a := range st.Agents {
			if a.Name == name {
				return a, true
			}
		}
		return PageAgent{}, false
	}
	caller, ok := agent(q.Get("caller"))
	if !ok {
		rest.WriteError(w, rest.NotFound("caller "+q.Get("caller")))
		return
	}
	var to call.Target
	switch call.TargetKind(q.Get("kind")) {
	case call.TargetAgent:
		callee, ok := agent(q.Get("target"))
		if !ok {
			rest.WriteError(w, rest.NotFound("agent "+q.Get("target")))
			return
		}
		to = call.Target{Kind: call.TargetAgent, ContactURI: callee.ContactURI, Name: displayName(callee)}
	case call.TargetQueue:
		to = call.Target{Kind: call.TargetQueue, QueueName: q.Get("target"), Name: q.Get("target")}
	default:
		rest.WriteError(w, rest.BadRequest(20001, "kind must be agent or queue"))
		return
	}
	from := call.Caller{ContactURI: caller.ContactURI, Name: displayName(caller)}
	out := demoCall{To: to.Address(), From: from.ContactURI, Attributes: call.CallerAttributes(from, to)}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// displayName is how Flex names a worker: full_name, else the friendly name.
func displayName(a PageAgent) string {
	if a.FullName != "" {
		return a.FullName
	}
	return a.Name
}
