package flexdesk_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/flexdesk"
)

func serve(t *testing.T) *httptest.Server {
	t.Helper()
	r := chi.NewRouter()
	r.Mount("/demo", flexdesk.Handler(flexdesk.Options{
		Prefix: "/demo", AgentsURL: "/sim/agents", StateURL: "/sim/state", SimPageURL: "/sim/",
		PluginURL: "/plugin/internal-call.js", Agents: []string{"alice", "bob"},
		Configuration: func() map[string]any { return map[string]any{"account_sid": "AC1"} },
	}))
	s := httptest.NewServer(r)
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestAgentPageLoadsTheStandInThenThePlugin(t *testing.T) {
	s := serve(t)
	code, ct, body := get(t, s.URL+"/demo/agent?worker=alice")
	if code != 200 || !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("agent page: %d %s", code, ct)
	}
	stub := strings.Index(body, `<script src="/demo/flexstub.js">`)
	desk := strings.Index(body, `<script src="/demo/standin.js">`)
	plugin := strings.Index(body, `<script src="/plugin/internal-call.js">`)
	if stub < 0 || desk < stub || plugin < 0 || desk > plugin || !strings.Contains(body, `worker: "alice"`) {
		t.Errorf("agent page must load the stand-in, then the plugin as Flex does:\n%s", body)
	}
	for _, bad := range []string{"", "al%22ice", "a/b"} {
		if code, _, _ := get(t, s.URL+"/demo/agent?worker="+bad); code != 400 {
			t.Errorf("worker %q: %d", bad, code)
		}
	}
}

func TestDemoPageAndAssets(t *testing.T) {
	s := serve(t)
	code, _, body := get(t, s.URL+"/demo")
	if code != 200 || !strings.Contains(body, `src="/demo/agent?worker=alice"`) || !strings.Contains(body, `src="/demo/agent?worker=bob"`) {
		t.Errorf("demo page: %d\n%s", code, body)
	}
	for _, f := range []string{"flexstub.js", "standin.js", "desk.js", "demo.js", "desk.css"} {
		if code, ct, _ := get(t, s.URL+"/demo/"+f); code != 200 || ct == "" {
			t.Errorf("%s: %d %q", f, code, ct)
		}
	}
	code, _, body = get(t, s.URL+"/demo/configuration")
	var cfg map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &cfg) != nil || cfg["account_sid"] != "AC1" {
		t.Errorf("configuration: %d %s", code, body)
	}
}
