package flexapi

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Plugin configurations (which plugin versions Flex loads) and releases
// (which configuration is live).

func (s *pluginStore) configuration(key string) *pluginConfiguration {
	if c := s.configurations[key]; c != nil {
		return c
	}
	for _, sid := range s.configOrder {
		if s.configurations[sid].name == key {
			return s.configurations[sid]
		}
	}
	return nil
}

// createConfiguration takes Plugins as repeated JSON objects
// {"plugin_version": "FV…", "phase": 3}, as twilio-go encodes them.
func (a *API) createConfiguration(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("Name")
	if name == "" {
		rest.WriteError(w, rest.BadRequest(20001, "Missing required parameter Name in the post body"))
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var plugins []configuredPlugin
	seen := map[string]bool{}
	for _, raw := range r.PostForm["Plugins"] {
		var cp configuredPlugin
		if err := json.Unmarshal([]byte(raw), &cp); err != nil {
			rest.WriteError(w, rest.BadRequest(20001, "Plugins: each item must be a JSON object with plugin_version: %v", err))
			return
		}
		v := a.plugins.versions[cp.PluginVersion]
		switch {
		case v == nil:
			rest.WriteError(w, rest.BadRequest(20001, "Plugins: unknown plugin_version %q", cp.PluginVersion))
			return
		case v.archived || a.plugins.plugins[v.pluginSid].archived:
			rest.WriteError(w, rest.BadRequest(20001, "Plugins: plugin version %s is archived", v.sid))
			return
		case seen[v.pluginSid]:
			rest.WriteError(w, rest.BadRequest(20001, "Plugins: plugin %s is listed twice (one version per plugin)", a.plugins.plugins[v.pluginSid].uniqueName))
			return
		}
		seen[v.pluginSid] = true
		plugins = append(plugins, cp)
	}
	c := &pluginConfiguration{
		sid: rest.NewSID("FJ"), name: name, description: r.PostFormValue("Description"),
		created: a.now(), plugins: plugins,
	}
	a.plugins.configurations[c.sid] = c
	a.plugins.configOrder = append(a.plugins.configOrder, c.sid)
	rest.WriteJSON(w, http.StatusCreated, a.configurationJSON(c))
}

func (a *API) fetchConfigurationResource(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.plugins.configurations[chi.URLParam(r, "Sid")]
	if c == nil {
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	rest.WriteJSON(w, http.StatusOK, a.configurationJSON(c))
}

func (a *API) listConfigurations(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	out := make([]configurationJSON, 0, len(a.plugins.configOrder))
	for _, sid := range a.plugins.configOrder {
		out = append(out, a.configurationJSON(a.plugins.configurations[sid]))
	}
	a.mu.Unlock()
	rest.PageV1(w, r, Host, "/v1/PluginService/Configurations", "configurations", out)
}

func (a *API) listConfiguredPlugins(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	c := a.plugins.configurations[chi.URLParam(r, "Sid")]
	if c == nil {
		a.mu.Unlock()
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	out := make([]configuredPluginJSON, 0, len(c.plugins))
	for _, cp := range c.plugins {
		out = append(out, a.configuredPluginJSON(c, cp))
	}
	a.mu.Unlock()
	rest.PageV1(w, r, Host, "/v1/PluginService/Configurations/"+c.sid+"/Plugins", "plugins", out)
}

func (a *API) fetchConfiguredPlugin(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.plugins.configurations[chi.URLParam(r, "Sid")]
	p := a.plugins.plugin(chi.URLParam(r, "PluginSid"))
	if c != nil && p != nil {
		for _, cp := range c.plugins {
			if a.plugins.versions[cp.PluginVersion].pluginSid == p.sid {
				rest.WriteJSON(w, http.StatusOK, a.configuredPluginJSON(c, cp))
				return
			}
		}
	}
	rest.WriteError(w, rest.NotFound(r.URL.Path))
}

func (a *API) createRelease(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("ConfigurationId")
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.plugins.configuration(id)
	if c == nil {
		rest.WriteError(w, rest.BadRequest(20001, "ConfigurationId %q is not a plugin configuration", id))
		return
	}
	rel := &release{sid: rest.NewSID("FK"), configurationSid: c.sid, created: a.now()}
	a.plugins.releases[rel.sid] = rel
	a.plugins.releaseOrder = append(a.plugins.releaseOrder, rel.sid)
	rest.WriteJSON(w, http.StatusCreated, a.releaseJSON(rel))
}

func (a *API) fetchRelease(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	sid := chi.URLParam(r, "Sid")
	if sid == "Active" && len(a.plugins.releaseOrder) > 0 {
		sid = a.plugins.releaseOrder[len(a.plugins.releaseOrder)-1]
	}
	rel := a.plugins.releases[sid]
	if rel == nil {
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	rest.WriteJSON(w, http.StatusOK, a.releaseJSON(rel))
}

// listReleases lists the newest first, as the CLI expects the active one on top.
func (a *API) listReleases(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	out := make([]releaseJSON, 0, len(a.plugins.releaseOrder))
	for i := len(a.plugins.releaseOrder) - 1; i >= 0; i-- {
		out = append(out, a.releaseJSON(a.plugins.releases[a.plugins.releaseOrder[i]]))
	}
	a.mu.Unlock()
	rest.PageV1(w, r, Host, "/v1/PluginService/Releases", "releases", out)
}
