package twiliosim

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestRequestLog(t *testing.T) {
	var mu sync.Mutex
	var log []RequestRecord
	sim, err := New(Options{OnRequest: func(r RequestRecord) { mu.Lock(); log = append(log, r); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	sd, err := sim.Seed()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/taskrouter/v1/Workspaces/"+sd.WorkspaceSid, nil)
	req.SetBasicAuth(DefaultAccountSid, DefaultAuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/taskrouter/v1/Workspaces/"+sd.WorkspaceSid, nil)
	resp, err = http.DefaultClient.Do(req) // no credentials: 401, logged too
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(log) != 2 {
		t.Fatalf("log %+v", log)
	}
	r := log[0]
	if r.Method != http.MethodGet || r.Path != "/taskrouter/v1/Workspaces/"+sd.WorkspaceSid || r.Status != http.StatusOK || r.End.Before(r.Start) {
		t.Errorf("first record %+v", r)
	}
	if log[1].Status != http.StatusUnauthorized {
		t.Errorf("second record %+v", log[1])
	}
}
