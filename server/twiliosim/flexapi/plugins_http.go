package flexapi

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Lookups accept a SID or, as the Plugins API does, the human key: a plugin's
// unique name, a version's version string, a configuration's name.

func (s *pluginStore) plugin(key string) *plugin {
	if p := s.plugins[key]; p != nil {
		return p
	}
	for _, sid := range s.pluginOrder {
		if s.plugins[sid].uniqueName == key {
			return s.plugins[sid]
		}
	}
	return nil
}

func (s *pluginStore) version(p *plugin, key string) *pluginVersion {
	for _, sid := range s.versionOrder {
		v := s.versions[sid]
		if v.pluginSid == p.sid && (v.sid == key || v.version == key) {
			return v
		}
	}
	return nil
}

func (a *API) createPlugin(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("UniqueName")
	if name == "" {
		rest.WriteError(w, rest.BadRequest(20001, "Missing required parameter UniqueName in the post body"))
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.plugins.plugin(name) != nil {
		rest.WriteError(w, rest.Errorf(http.StatusConflict, 20409, "Plugin %s already exists", name))
		return
	}
	now := a.now()
	p := &plugin{
		sid: rest.NewSID("FP"), uniqueName: name, friendlyName: r.PostFormValue("FriendlyName"),
		description: r.PostFormValue("Description"), created: now, updated: now,
	}
	a.plugins.plugins[p.sid] = p
	a.plugins.pluginOrder = append(a.plugins.pluginOrder, p.sid)
	rest.WriteJSON(w, http.StatusCreated, a.pluginJSON(p))
}

func (a *API) fetchPlugin(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.plugins.plugin(chi.URLParam(r, "PluginSid"))
	if p == nil {
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	rest.WriteJSON(w, http.StatusOK, a.pluginJSON(p))
}

func (a *API) updatePlugin(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.plugins.plugin(chi.URLParam(r, "PluginSid"))
	if p == nil {
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	_ = r.ParseForm()
	if v, ok := r.PostForm["FriendlyName"]; ok {
		p.friendlyName = v[0]
	}
	if v, ok := r.PostForm["Description"]; ok {
		p.description = v[0]
	}
	p.updated = a.now()
	rest.WriteJSON(w, http.StatusOK, a.pluginJSON(p))
}

func (a *API) listPlugins(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	out := make([]pluginJSON, 0, len(a.plugins.pluginOrder))
	for _, sid := range a.plugins.pluginOrder {
		out = append(out, a.pluginJSON(a.plugins.plugins[sid]))
	}
	a.mu.Unlock()
	rest.PageV1(w, r, Host, "/v1/PluginService/Plugins", "plugins", out)
}

func (a *API) createVersion(w http.ResponseWriter, r *http.Request) {
	version, pluginURL := r.PostFormValue("Version"), r.PostFormValue("PluginUrl")
	if version == "" || pluginURL == "" {
		rest.WriteError(w, rest.BadRequest(20001, "Missing required parameter Version or PluginUrl in the post body"))
		return
	}
	private, _ := strconv.ParseBool(r.PostFormValue("Private"))
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.plugins.plugin(chi.URLParam(r, "PluginSid"))
	if p == nil {
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	if p.archived {
		rest.WriteError(w, rest.BadRequest(20001, "Plugin %s is archived: it takes no new versions", p.uniqueName))
		return
	}
	if a.plugins.version(p, version) != nil {
		rest.WriteError(w, rest.Errorf(http.StatusConflict, 20409, "Version %s of plugin %s already exists", version, p.uniqueName))
		return
	}
	v := &pluginVersion{
		sid: rest.NewSID("FV"), pluginSid: p.sid, version: version, pluginURL: pluginURL,
		changelog: r.PostFormValue("Changelog"), cliVersion: r.PostFormValue("CliVersion"),
		private: private, validated: true, created: a.now(),
	}
	a.plugins.versions[v.sid] = v
	a.plugins.versionOrder = append(a.plugins.versionOrder, v.sid)
	rest.WriteJSON(w, http.StatusCreated, a.versionJSON(v))
}

func (a *API) fetchVersion(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var v *pluginVersion
	if p := a.plugins.plugin(chi.URLParam(r, "PluginSid")); p != nil {
		v = a.plugins.version(p, chi.URLParam(r, "Sid"))
	}
	if v == nil {
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	rest.WriteJSON(w, http.StatusOK, a.versionJSON(v))
}

func (a *API) listVersions(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	p := a.plugins.plugin(chi.URLParam(r, "PluginSid"))
	if p == nil {
		a.mu.Unlock()
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	}
	out := []versionJSON{}
	for _, sid := range a.plugins.versionOrder {
		if v := a.plugins.versions[sid]; v.pluginSid == p.sid {
			out = append(out, a.versionJSON(v))
		}
	}
	a.mu.Unlock()
	rest.PageV1(w, r, Host, "/v1/PluginService/Plugins/"+p.sid+"/Versions", "plugin_versions", out)
}
