package bench

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// StandIn is a canned Twilio: it answers at once the REST requests the two
// measured webhooks send — a caller's outbound internal-call task, its
// reservation and worker; a task update echoed back — and counts requests
// and connections, so the report can say how many Twilio requests each
// webhook made and how many connections they needed.
type StandIn struct {
	AccountSid, Workspace, Workflow string
	Worker, ContactURI, Callee      string

	requests, unexpected, conns, updates atomic.Int64
	etag                                 atomic.Int64
	srv                                  *http.Server
	URL                                  string
}

// Start serves the stand-in on a loopback port.
func (s *StandIn) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				s.conns.Add(1)
			}
		}}
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// Close stops it.
func (s *StandIn) Close() { _ = s.srv.Close() }

// StandInCounts are the stand-in's counters.
type StandInCounts struct{ Requests, Unexpected, Connections, Updates int64 }

// Counts returns the counters so far.
func (s *StandIn) Counts() StandInCounts {
	return StandInCounts{s.requests.Load(), s.unexpected.Load(), s.conns.Load(), s.updates.Load()}
}

// CallerAttributes are the attributes of the caller's task as the browser
// creates it: an outbound internal call to the callee, not yet sealed.
func (s *StandIn) CallerAttributes() string {
	b, _ := json.Marshal(map[string]any{
		"client_call": true, "direction": "outbound", "to": s.Callee, "from": s.ContactURI,
		"targetWorker": s.ContactURI, "name": "Bob", "fromName": "Alice", "autoAnswer": "true",
	})
	return string(b)
}

func (s *StandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if u, _, ok := r.BasicAuth(); !ok || u != s.AccountSid {
		s.fail(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	// /taskrouter/v1/Workspaces/{ws}[/{kind}/{sid}[/Reservations]]
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 4 || parts[0] != "taskrouter" || parts[1] != "v1" || parts[2] != "Workspaces" || parts[3] != s.Workspace {
		s.fail(w, http.StatusNotFound, 20404, "not found: "+r.URL.Path)
		return
	}
	rest := parts[4:]
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		s.json(w, map[string]any{"sid": s.Workspace, "account_sid": s.AccountSid, "friendly_name": "Flex Task Assignment"})
	case len(rest) == 2 && rest[0] == "Workflows" && rest[1] == s.Workflow && r.Method == http.MethodGet:
		s.json(w, map[string]any{"sid": s.Workflow, "account_sid": s.AccountSid, "workspace_sid": s.Workspace,
			"friendly_name": "Internal Call", "configuration": `{"task_routing":{"filters":[]}}`})
	case len(rest) == 2 && rest[0] == "Tasks" && r.Method == http.MethodGet:
		w.Header().Set("ETag", "\"1\"")
		s.json(w, s.task(rest[1], s.CallerAttributes()))
	case len(rest) == 2 && rest[0] == "Tasks" && r.Method == http.MethodPost:
		if err := r.ParseForm(); err != nil {
			s.fail(w, http.StatusBadRequest, 20001, err.Error())
			return
		}
		attrs := r.PostForm.Get("Attributes")
		if attrs == "" {
			attrs = s.CallerAttributes()
		}
		s.updates.Add(1)
		w.Header().Set("ETag", "\""+strconv.FormatInt(s.etag.Add(1)+1, 10)+"\"")
		s.json(w, s.task(rest[1], attrs))
	case len(rest) == 3 && rest[0] == "Tasks" && rest[2] == "Reservations" && r.Method == http.MethodGet:
		res := map[string]any{"sid": "WR" + strings.Repeat("0", 31) + "1", "account_sid": s.AccountSid, "workspace_sid": s.Workspace,
			"task_sid": rest[1], "worker_sid": s.Worker, "worker_name": "alice", "reservation_status": "accepted"}
		s.json(w, map[string]any{"reservations": []any{res}, "meta": map[string]any{
			"page": 0, "page_size": 50, "key": "reservations", "next_page_url": nil, "previous_page_url": nil,
			"url": s.URL + r.URL.Path, "first_page_url": s.URL + r.URL.Path}})
	case len(rest) == 2 && rest[0] == "Workers" && rest[1] == s.Worker && r.Method == http.MethodGet:
		s.json(w, map[string]any{"sid": s.Worker, "account_sid": s.AccountSid, "workspace_sid": s.Workspace, "friendly_name": "alice",
			"attributes": `{"contact_uri":"` + s.ContactURI + `","full_name":"Alice"}`, "available": true, "activity_name": "Available"})
	default:
		s.fail(w, http.StatusNotFound, 20404, "not found: "+r.Method+" "+r.URL.Path)
	}
}

func (s *StandIn) task(sid, attributes string) map[string]any {
	return map[string]any{"sid": sid, "account_sid": s.AccountSid, "workspace_sid": s.Workspace, "workflow_sid": s.Workflow,
		"assignment_status": "assigned", "attributes": attributes, "task_channel_unique_name": "voice", "age": 1, "priority": 0, "timeout": 86400}
}

func (s *StandIn) json(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *StandIn) fail(w http.ResponseWriter, status, code int, msg string) {
	s.unexpected.Add(1)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "status": status})
}
