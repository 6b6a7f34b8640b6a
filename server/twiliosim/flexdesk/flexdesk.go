// Package flexdesk is the demo's Flex stand-in in a browser: agent desktops
// that load the real plugin exactly as Flex does, on the simulated contact
// centre.
//
// flexstub.js is the in-memory stand-in of the Flex UI surface the plugin
// touches, which the bridge's node tests drive (FlexStub.create);
// standin.js is the agent desktop on that surface backed by the simulator's
// agents API (FlexStub.browser): the desktops below, unless on the real Flex UI.
//
// With Options.FlexUIBundle set, /agent?worker=alice&flex=real is the same
// desktop on the REAL Flex UI (@twilio/flex-ui, bundled by make flexui) through
// flexadapter.js, the one adapter over the simulator's agents API.
//
//	GET /                    three agent desktops side by side and who is in which conference
//	GET /agent?worker=alice  one agent's desktop: the stand-in, then the plugin's <script>
//	GET /agent?worker=alice&flex=real  the desktop on the real Flex UI
//	GET /flex-ui.js          the real Flex UI bundle (Options.FlexUIBundle)
//	GET /configuration       the simulated Flex Configuration (manager.serviceConfiguration)
//	GET /flexstub.js, /standin.js, /flexadapter.js, /desk.js, /demo.js, /desk.css
package flexdesk

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"
)

//go:embed flexstub.js standin.js flexadapter.js desk.js demo.js desk.css
var static embed.FS

//go:embed agent.html index.html
var pages embed.FS

// Options say where the pages find the rest of the server.
type Options struct {
	// Prefix is where the handler is mounted, e.g. "/demo".
	Prefix string
	// AgentsURL is the simulator's agents API, e.g. "/sim/agents".
	AgentsURL string
	// StateURL is the simulator's state (GET), e.g. "/sim/state".
	StateURL string
	// SimPageURL is the simulator's own page, linked from the demo.
	SimPageURL string
	// PluginURL is the plugin script, loaded as Flex loads it.
	PluginURL string
	// Configuration returns the Flex Configuration (serviceConfiguration).
	Configuration func() map[string]any
	// Agents are the desktops the demo page shows, by worker name.
	Agents []string
	// FlexUIBundle is the built real Flex UI bundle (a file), served as
	// /flex-ui.js for the desktops on the real Flex UI; empty: none.
	FlexUIBundle string
}

var workerName = regexp.MustCompile(`^[A-Za-z0-9_.@+-]{1,64}$`)

// Handler serves the pages.
func Handler(o Options) http.Handler {
	tpl := template.Must(template.ParseFS(pages, "agent.html", "index.html"))
	render := func(w http.ResponseWriter, name string, data any) {
		var b bytes.Buffer
		if err := tpl.ExecuteTemplate(&b, name, data); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(b.Bytes())
	}
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		render(w, "index.html", o)
	})
	r.Get("/agent", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("worker")
		if !workerName.MatchString(name) {
			http.Error(w, "worker: a worker's name is required, e.g. ?worker=alice", http.StatusBadRequest)
			return
		}
		real := r.URL.Query().Get("flex") == "real"
		if real && o.FlexUIBundle == "" {
			http.Error(w, "flex=real: no Flex UI bundle is configured (make flexui builds it)", http.StatusNotFound)
			return
		}
		render(w, "agent.html", struct {
			Options
			Worker string
			Real   bool // the real Flex UI with its adapter, not the stand-in
		}{o, name, real})
	})
	r.Get("/configuration", func(w http.ResponseWriter, r *http.Request) {
		cfg := map[string]any{}
		if o.Configuration != nil {
			cfg = o.Configuration()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(cfg)
	})
	r.Get("/flex-ui.js", func(w http.ResponseWriter, r *http.Request) {
		if o.FlexUIBundle == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFile(w, r, o.FlexUIBundle)
	})
	for _, f := range []string{"flexstub.js", "standin.js", "flexadapter.js", "desk.js", "demo.js", "desk.css"} {
		r.Get("/"+f, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, static, f)
		})
	}
	return r
}
