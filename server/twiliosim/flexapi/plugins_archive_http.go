package flexapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Archiving: a plugin, version or configuration is never deleted; archived,
// it stays listed but can no longer be put into a new configuration (nor, for
// a plugin, get new versions). Archiving twice is refused, as Twilio does.

// Archive answers have no links (and a version's no validated), as in the document.
type pluginArchiveJSON struct {
	Sid          string `json:"sid"`
	AccountSid   string `json:"account_sid"`
	UniqueName   string `json:"unique_name"`
	FriendlyName string `json:"friendly_name"`
	Description  string `json:"description"`
	Archived     bool   `json:"archived"`
	DateCreated  string `json:"date_created"`
	DateUpdated  string `json:"date_updated"`
	URL          string `json:"url"`
}

type versionArchiveJSON struct {
	Sid         string `json:"sid"`
	PluginSid   string `json:"plugin_sid"`
	AccountSid  string `json:"account_sid"`
	Version     string `json:"version"`
	PluginURL   string `json:"plugin_url"`
	Changelog   string `json:"changelog"`
	Private     bool   `json:"private"`
	Archived    bool   `json:"archived"`
	DateCreated string `json:"date_created"`
	URL         string `json:"url"`
}

type configurationArchiveJSON struct {
	Sid         string `json:"sid"`
	AccountSid  string `json:"account_sid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Archived    bool   `json:"archived"`
	DateCreated string `json:"date_created"`
	URL         string `json:"url"`
}

func alreadyArchived(what, key string) *rest.Error {
	return rest.BadRequest(20001, "%s %s is already archived", what, key)
}

func (a *API) archivePlugin(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.plugins.plugin(chi.URLParam(r, "PluginSid"))
	switch {
	case p == nil:
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	case p.archived:
		rest.WriteError(w, alreadyArchived("Plugin", p.sid))
		return
	}
	p.archived, p.updated = true, a.now()
	j := a.pluginJSON(p)
	rest.WriteJSON(w, http.StatusOK, pluginArchiveJSON{
		Sid: j.Sid, AccountSid: j.AccountSid, UniqueName: j.UniqueName, FriendlyName: j.FriendlyName,
		Description: j.Description, Archived: j.Archived, DateCreated: j.DateCreated,
		DateUpdated: j.DateUpdated, URL: j.URL,
	})
}

func (a *API) archiveVersion(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var v *pluginVersion
	if p := a.plugins.plugin(chi.URLParam(r, "PluginSid")); p != nil {
		v = a.plugins.version(p, chi.URLParam(r, "Sid"))
	}
	switch {
	case v == nil:
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	case v.archived:
		rest.WriteError(w, alreadyArchived("Plugin version", v.sid))
		return
	}
	v.archived = true
	j := a.versionJSON(v)
	rest.WriteJSON(w, http.StatusOK, versionArchiveJSON{
		Sid: j.Sid, PluginSid: j.PluginSid, AccountSid: j.AccountSid, Version: j.Version,
		PluginURL: j.PluginURL, Changelog: j.Changelog, Private: j.Private, Archived: j.Archived,
		DateCreated: j.DateCreated, URL: j.URL,
	})
}

func (a *API) archiveConfiguration(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.plugins.configurations[chi.URLParam(r, "Sid")]
	switch {
	case c == nil:
		rest.WriteError(w, rest.NotFound(r.URL.Path))
		return
	case c.archived:
		rest.WriteError(w, alreadyArchived("Configuration", c.sid))
		return
	}
	c.archived = true
	j := a.configurationJSON(c)
	rest.WriteJSON(w, http.StatusOK, configurationArchiveJSON{
		Sid: j.Sid, AccountSid: j.AccountSid, Name: j.Name, Description: j.Description,
		Archived: j.Archived, DateCreated: j.DateCreated, URL: j.URL,
	})
}
