package iam_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/iam"
)

const accountSid = "AC00000000000000000000000000000000"

type answer struct {
	Valid      bool     `json:"valid"`
	Code       int      `json:"code"`
	Message    *string  `json:"message"`
	Expiration *string  `json:"expiration"`
	Identity   *string  `json:"identity"`
	Roles      []string `json:"roles"`
	WorkerSid  *string  `json:"worker_sid"`
}

func validate(t *testing.T, srv *httptest.Server, account, token string) (int, answer) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"token": token})
	resp, err := http.Post(srv.URL+"/iam/v1/Accounts/"+account+"/Tokens/validate", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	_ = json.NewDecoder(resp.Body).Decode(&a)
	return resp.StatusCode, a
}

func TestValidate(t *testing.T) {
	svc := iam.New(accountSid)
	r := chi.NewRouter()
	r.Route("/iam", svc.Routes)
	srv := httptest.NewServer(r)
	defer srv.Close()

	good := svc.Issue("WK00000000000000000000000000000001", "alice", []string{"agent"}, time.Hour)
	old := svc.Issue("WK00000000000000000000000000000002", "bob", []string{"agent"}, -time.Second)
	revoked := svc.Issue("WK00000000000000000000000000000003", "carol", []string{"agent"}, time.Hour)
	svc.Revoke(revoked.Value)
	if good.Value == old.Value || len(good.Value) < 40 {
		t.Fatalf("tokens not unique or too short: %q", good.Value)
	}

	status, a := validate(t, srv, accountSid, good.Value)
	if status != 200 || !a.Valid || a.Code != 0 || a.Message != nil || *a.WorkerSid != good.WorkerSid ||
		*a.Identity != "alice" || len(a.Roles) != 1 || a.Roles[0] != "agent" || a.Expiration == nil {
		t.Errorf("valid token: %d %+v", status, a)
	}
	exp, err := time.Parse(time.RFC3339, *a.Expiration)
	if err != nil || exp.Sub(good.Expires).Abs() > time.Second {
		t.Errorf("expiration %v %v", *a.Expiration, err)
	}

	for name, tc := range map[string]struct {
		token string
		code  int
	}{
		"expired": {old.Value, iam.CodeExpired},
		"unknown": {"not-a-token", iam.CodeInvalid},
		"revoked": {revoked.Value, iam.CodeInvalid},
	} {
		status, a := validate(t, srv, accountSid, tc.token)
		if status != 200 || a.Valid || a.Code != tc.code || a.Message == nil || a.WorkerSid != nil {
			t.Errorf("%s: %d %+v", name, status, a)
		}
	}

	if status, _ := validate(t, srv, "AC11111111111111111111111111111111", good.Value); status != 404 {
		t.Errorf("other account: %d", status)
	}
}

func TestRotate(t *testing.T) {
	svc := iam.New(accountSid)
	old := svc.Issue("WK00000000000000000000000000000001", "alice", []string{"agent"}, time.Hour)
	fresh, ok := svc.Rotate(old.Value, 2*time.Hour)
	if !ok || fresh.Value == old.Value || fresh.WorkerSid != old.WorkerSid || !fresh.Expires.After(old.Expires) {
		t.Fatalf("rotate: %+v %v", fresh, ok)
	}
	if _, res := svc.Validate(old.Value); res != iam.Valid {
		t.Error("the old token must last until it expires")
	}
	if _, ok := svc.Rotate("unknown", time.Hour); ok {
		t.Error("rotated an unknown token")
	}
}
