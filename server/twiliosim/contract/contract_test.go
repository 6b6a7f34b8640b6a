package contract

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

func sid(prefix string, c byte) string { return prefix + strings.Repeat(string(c), 32) }

var (
	ws = sid("WS", 'a')
	ww = sid("WW", 'b')
	ac = sid("AC", 'c')
	cf = sid("CF", 'd')
	ca = sid("CA", 'e')
)

func TestLoad(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	t.Logf("specs loaded in %v", LoadDuration())
}

// serve runs one request through Middleware; the downstream handler records
// the form it saw.
func serve(t *testing.T, method, path, contentType, body string) (*httptest.ResponseRecorder, *http.Request) {
	t.Helper()
	var seen *http.Request
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("downstream ParseForm: %v", err)
		}
		seen = r
		w.WriteHeader(http.StatusNoContent)
	}))
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w, seen
}

const form = "application/x-www-form-urlencoded"

func TestValidRequestsPass(t *testing.T) {
	cases := []struct{ name, method, path, ct, body string }{
		{"create task", "POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", form,
			"Attributes=%7B%22a%22%3A1%7D&Timeout=120&Priority=5&WorkflowSid=" + ww + "&TaskChannel=voice"},
		{"create task, optional fields absent", "POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", form, ""},
		{"create task, only attributes", "POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", form, "Attributes=%7B%7D"},
		{"form with charset", "POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", form + "; charset=utf-8", "Timeout=5"},
		{"list workers with query", "GET", "/taskrouter/v1/Workspaces/" + ws + "/Workers?Available=true&PageSize=20", "", ""},
		{"worker statistics", "GET", "/taskrouter/v1/Workspaces/" + ws + "/Workers/Statistics", "", ""},
		{"participant hold", "POST", "/api/2010-04-01/Accounts/" + ac + "/Conferences/" + cf + "/Participants/" + ca + ".json", form, "Hold=true"},
		{"participant create, repeated keys", "POST", "/api/2010-04-01/Accounts/" + ac + "/Conferences/" + cf + "/Participants.json", form,
			"From=client%3Aa&To=client%3Ab&StatusCallbackEvent=join&StatusCallbackEvent=leave"},
		{"participant create, callbacks", "POST", "/api/2010-04-01/Accounts/" + ac + "/Conferences/" + cf + "/Participants.json", form,
			"From=%2B15550001111&To=client%3Abob&Label=callee&StatusCallback=http%3A%2F%2F127.0.0.1%3A8080%2Fcb&StatusCallbackMethod=POST&Timeout=20&EarlyMedia=false"},
		{"call TwiML update", "POST", "/api/2010-04-01/Accounts/" + ac + "/Calls/" + ca + ".json", form,
			"Twiml=%3CResponse%3E%3CHangup%2F%3E%3C%2FResponse%3E"},
		{"calls list by date", "GET", "/api/2010-04-01/Accounts/" + ac + "/Calls.json?StartTime%3E=2026-01-02T00%3A00%3A00Z&Status=in-progress", "", ""},
		{"conference list by name", "GET", "/api/2010-04-01/Accounts/" + ac + "/Conferences.json?FriendlyName=x&Status=in-progress", "", ""},
		{"call completed", "POST", "/api/2010-04-01/Accounts/" + ac + "/Calls/" + ca + ".json", form, "Status=completed"},
		{"flex configuration fetch", "GET", "/flex-api/v1/Configuration", "", ""},
		{"flex configuration JSON update", "POST", "/flex-api/v1/Configuration", "application/json", `{"ui_attributes":{"x":1}}`},
		{"iam is not validated", "POST", "/iam/v1/Accounts/" + ac + "/Tokens/validate", "application/json", `{"token":"x"}`},
		{"other paths are not validated", "GET", "/agents/anything", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, _ := serve(t, c.method, c.path, c.ct, c.body)
			if w.Code != http.StatusNoContent {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
		})
	}
}

func TestBodyStillReadable(t *testing.T) {
	body := "Timeout=120&WorkflowSid=" + ww
	_, seen := serve(t, "POST", "/taskrouter/v1/Workspaces/"+ws+"/Tasks", form, body)
	if seen == nil {
		t.Fatal("downstream not called")
	}
	if got := seen.PostForm.Get("WorkflowSid"); got != ww {
		t.Errorf("WorkflowSid downstream = %q", got)
	}
	if got := seen.PostForm.Get("Timeout"); got != "120" {
		t.Errorf("Timeout downstream = %q", got)
	}
	if len(seen.PostForm) != 2 {
		t.Errorf("downstream form gained fields: %v", seen.PostForm)
	}
}

func TestInvalidRequestsRefused(t *testing.T) {
	cases := []struct{ name, method, path, ct, body, param string }{
		{"bad Timeout", "POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", form, "Timeout=abc", "Timeout"},
		{"short WorkflowSid", "POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", form, "WorkflowSid=WW12", "WorkflowSid"},
		{"bad path SID", "GET", "/taskrouter/v1/Workspaces/WS1/Tasks", "", "", "WorkspaceSid"},
		{"bad query", "GET", "/taskrouter/v1/Workspaces/" + ws + "/Tasks?PageSize=x", "", "", "PageSize"},
		{"bad boolean", "POST", "/api/2010-04-01/Accounts/" + ac + "/Conferences/" + cf + "/Participants/" + ca + ".json", form, "Hold=maybe", "Hold"},
		{"missing required", "POST", "/api/2010-04-01/Accounts/" + ac + "/Conferences/" + cf + "/Participants.json", form, "From=a", "To"},
		{"bad enum", "POST", "/api/2010-04-01/Accounts/" + ac + "/Calls/" + ca + ".json", form, "Status=bogus", "Status"},
		{"wrong content type", "POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", "text/plain", "Timeout=5", "Content-Type"},
		{"bad JSON body", "POST", "/flex-api/v1/Configuration", "application/json", `[1]`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, seen := serve(t, c.method, c.path, c.ct, c.body)
			e := twilioError(t, w, http.StatusBadRequest, 20001)
			if !strings.Contains(e.Message, c.param) {
				t.Errorf("message %q does not name %q", e.Message, c.param)
			}
			if len(e.Message) > 300 {
				t.Errorf("message too long (%d): %q", len(e.Message), e.Message)
			}
			if seen != nil {
				t.Error("downstream handler ran")
			}
			t.Log(e.Message)
		})
	}
}

func TestUnknownOperation(t *testing.T) {
	for _, c := range []struct{ method, path string }{
		{"GET", "/taskrouter/v1/Nope"},
		{"GET", "/api/2010-04-01/Accounts/" + ac + "/Nope.json"},
		{"DELETE", "/flex-api/v1/Configuration"},
	} {
		w, _ := serve(t, c.method, c.path, "", "")
		twilioError(t, w, http.StatusNotFound, 20404)
	}
}

// TestRouting checks that literal segments win over parameters and that the
// API 2010 "{Sid}.json" templates route.
func TestRouting(t *testing.T) {
	for path, want := range map[string]string{
		"/taskrouter/v1/Workspaces/" + ws + "/Workers/Statistics":                      "/v1/Workspaces/{WorkspaceSid}/Workers/Statistics",
		"/taskrouter/v1/Workspaces/" + ws + "/Workers/" + sid("WK", 'f'):               "/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}",
		"/api/2010-04-01/Accounts/" + ac + "/Calls/" + ca + ".json":                    "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json",
		"/api/2010-04-01/Accounts/" + ac + "/Calls.json":                               "/2010-04-01/Accounts/{AccountSid}/Calls.json",
		"/api/2010-04-01/Accounts/" + ac + "/Conferences/" + cf + "/Participants.json": "/2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants.json",
		"/flex-api/v1/Configuration":                                                   "/v1/Configuration",
	} {
		c, e := Options{}.validate(httptest.NewRequest("GET", path, nil))
		if e != nil {
			t.Errorf("%s: %v", path, e)
			continue
		}
		if c.route.Path != want {
			t.Errorf("%s routed to %s, want %s", path, c.route.Path, want)
		}
	}
}

func twilioError(t *testing.T, w *httptest.ResponseRecorder, status, code int) rest.Error {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var e rest.Error
	if err := json.NewDecoder(w.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	if e.Code != code || e.Status != status || e.MoreInfo == "" {
		t.Errorf("error body %+v, want code %d status %d", e, code, status)
	}
	return e
}

func TestResponseChecker(t *testing.T) {
	var rc ResponseChecker
	respond := func(status int, body string) {
		h := Options{Responses: &rc}.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}))
		r := httptest.NewRequest("GET", "/taskrouter/v1/Workspaces/"+ws+"/Tasks/"+sid("WT", '1'), nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != status || w.Body.String() != body {
			t.Fatalf("response altered: %d %q", w.Code, w.Body)
		}
	}

	respond(http.StatusOK, `{"sid":"`+sid("WT", '1')+`","priority":3,"assignment_status":"pending","attributes":"{}"}`)
	respond(http.StatusNotFound, `{"code":20404,"message":"x","more_info":"","status":404}`)
	if err := rc.Err(); err != nil {
		t.Fatalf("unexpected violations: %v", err)
	}

	respond(http.StatusOK, `{"sid":"`+sid("WT", '1')+`","priority":"high"}`)
	respond(http.StatusOK, `{"assignment_status":"ringing"}`)
	respond(http.StatusAccepted, `{}`)
	v := rc.Violations()
	if len(v) != 3 {
		t.Fatalf("violations = %v, want 3", v)
	}
	for i, want := range []string{"priority", "assignment_status", "not documented"} {
		if !strings.Contains(v[i].Problem, want) {
			t.Errorf("violation %d = %q, want it to mention %q", i, v[i].Problem, want)
		}
		t.Log(v[i])
	}
	rc.Reset()
	if rc.Err() != nil {
		t.Error("Reset kept violations")
	}
}

func BenchmarkValidateCreateTask(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	body := "Attributes=%7B%7D&Timeout=120&WorkflowSid=" + ww
	for b.Loop() {
		r := httptest.NewRequest("POST", "/taskrouter/v1/Workspaces/"+ws+"/Tasks", strings.NewReader(body))
		r.Header.Set("Content-Type", form)
		if e := Validate(r); e != nil {
			b.Fatal(e)
		}
	}
}

func TestRejectUnknown(t *testing.T) {
	h := Options{RejectUnknown: true}.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	for _, c := range []struct {
		method, path, body string
		unknown            string
	}{
		{"POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", "Timeout=5&WorkflowSid=" + ww, ""},
		{"POST", "/taskrouter/v1/Workspaces/" + ws + "/Tasks", "Timout=5", "Timout"},
		{"GET", "/taskrouter/v1/Workspaces/" + ws + "/Workers?PageSize=5&Page=1&PageToken=x", "", ""},
		{"GET", "/taskrouter/v1/Workspaces/" + ws + "/Workers?Avaliable=true", "", "Avaliable"},
		{"POST", "/flex-api/v1/Configuration", `{"anything":1}`, ""},
	} {
		r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		if strings.HasPrefix(c.body, "{") {
			r.Header.Set("Content-Type", "application/json")
		} else if c.body != "" {
			r.Header.Set("Content-Type", form)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if c.unknown == "" {
			if w.Code != http.StatusNoContent {
				t.Errorf("%s %s: %d %s", c.method, c.path, w.Code, w.Body)
			}
			continue
		}
		e := twilioError(t, w, http.StatusBadRequest, 20001)
		if !strings.Contains(e.Message, c.unknown) {
			t.Errorf("message %q does not name %s", e.Message, c.unknown)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	var rc ResponseChecker
	h := Options{Responses: &rc}.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest.WriteJSON(w, http.StatusCreated, map[string]any{"sid": sid("WT", '2'), "priority": 1})
	}))
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 20 {
				body := "Timeout=" + string(rune('1'+g)) + "&WorkflowSid=" + ww
				if i%2 == 1 {
					body = "Timeout=x"
				}
				r := httptest.NewRequest("POST", "/taskrouter/v1/Workspaces/"+ws+"/Tasks", strings.NewReader(body))
				r.Header.Set("Content-Type", form)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if want := []int{201, 400}[i%2]; w.Code != want {
					t.Errorf("status %d, want %d: %s", w.Code, want, w.Body)
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	if err := rc.Err(); err != nil {
		t.Error(err)
	}
}
