package flexapi

import "github.com/flex-internal-call/internal-call/server/twiliosim/rest"

const pluginServiceURL = "https://" + Host + "/v1/PluginService"

// JSON shapes of the Plugins API, as twilio-go's FlexV1Plugin* structs read them.

type pluginJSON struct {
	Sid          string            `json:"sid"`
	AccountSid   string            `json:"account_sid"`
	UniqueName   string            `json:"unique_name"`
	FriendlyName string            `json:"friendly_name"`
	Description  string            `json:"description"`
	Archived     bool              `json:"archived"`
	DateCreated  string            `json:"date_created"`
	DateUpdated  string            `json:"date_updated"`
	URL          string            `json:"url"`
	Links        map[string]string `json:"links"`
}

type versionJSON struct {
	Sid         string `json:"sid"`
	PluginSid   string `json:"plugin_sid"`
	AccountSid  string `json:"account_sid"`
	Version     string `json:"version"`
	PluginURL   string `json:"plugin_url"`
	Changelog   string `json:"changelog"`
	Private     bool   `json:"private"`
	Archived    bool   `json:"archived"`
	Validated   bool   `json:"validated"`
	DateCreated string `json:"date_created"`
	URL         string `json:"url"`
}

type configurationJSON struct {
	Sid         string            `json:"sid"`
	AccountSid  string            `json:"account_sid"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Archived    bool              `json:"archived"`
	DateCreated string            `json:"date_created"`
	URL         string            `json:"url"`
	Links       map[string]string `json:"links"`
}

type configuredPluginJSON struct {
	AccountSid            string `json:"account_sid"`
	ConfigurationSid      string `json:"configuration_sid"`
	PluginSid             string `json:"plugin_sid"`
	PluginVersionSid      string `json:"plugin_version_sid"`
	Phase                 int    `json:"phase"`
	PluginURL             string `json:"plugin_url"`
	UniqueName            string `json:"unique_name"`
	FriendlyName          string `json:"friendly_name"`
	Description           string `json:"description"`
	PluginArchived        bool   `json:"plugin_archived"`
	Version               string `json:"version"`
	Changelog             string `json:"changelog"`
	PluginVersionArchived bool   `json:"plugin_version_archived"`
	Private               bool   `json:"private"`
	DateCreated           string `json:"date_created"`
	URL                   string `json:"url"`
}

type releaseJSON struct {
	Sid              string `json:"sid"`
	AccountSid       string `json:"account_sid"`
	ConfigurationSid string `json:"configuration_sid"`
	DateCreated      string `json:"date_created"`
	URL              string `json:"url"`
}

func (a *API) pluginJSON(p *plugin) pluginJSON {
	u := pluginServiceURL + "/Plugins/" + p.sid
	return pluginJSON{
		Sid: p.sid, AccountSid: a.accountSid, UniqueName: p.uniqueName,
		FriendlyName: p.friendlyName, Description: p.description, Archived: p.archived,
		DateCreated: rest.TimeV1(p.created), DateUpdated: rest.TimeV1(p.updated),
		URL: u, Links: map[string]string{"plugin_versions": u + "/Versions"},
	}
}

func (a *API) versionJSON(v *pluginVersion) versionJSON {
	return versionJSON{
		Sid: v.sid, PluginSid: v.pluginSid, AccountSid: a.accountSid, Version: v.version,
		PluginURL: v.pluginURL, Changelog: v.changelog, Private: v.private,
		Archived: v.archived, Validated: v.validated, DateCreated: rest.TimeV1(v.created),
		URL: pluginServiceURL + "/Plugins/" + v.pluginSid + "/Versions/" + v.sid,
	}
}

func (a *API) configurationJSON(c *pluginConfiguration) configurationJSON {
	u := pluginServiceURL + "/Configurations/" + c.sid
	return configurationJSON{
		Sid: c.sid, AccountSid: a.accountSid, Name: c.name, Description: c.description,
		Archived: c.archived, DateCreated: rest.TimeV1(c.created),
		URL: u, Links: map[string]string{"plugins": u + "/Plugins"},
	}
}

// configuredPluginJSON needs the store: the entry joins plugin and version.
func (a *API) configuredPluginJSON(c *pluginConfiguration, cp configuredPlugin) configuredPluginJSON {
	v := a.plugins.versions[cp.PluginVersion]
	p := a.plugins.plugins[v.pluginSid]
	return configuredPluginJSON{
		AccountSid: a.accountSid, ConfigurationSid: c.sid, PluginSid: p.sid,
		PluginVersionSid: v.sid, Phase: cp.Phase, PluginURL: v.pluginURL,
		UniqueName: p.uniqueName, FriendlyName: p.friendlyName, Description: p.description,
		PluginArchived: p.archived, Version: v.version, Changelog: v.changelog,
		PluginVersionArchived: v.archived, Private: v.private,
		DateCreated: rest.TimeV1(c.created),
		URL:         pluginServiceURL + "/Configurations/" + c.sid + "/Plugins/" + p.sid,
	}
}

func (a *API) releaseJSON(r *release) releaseJSON {
	return releaseJSON{
		Sid: r.sid, AccountSid: a.accountSid, ConfigurationSid: r.configurationSid,
		DateCreated: rest.TimeV1(r.created), URL: pluginServiceURL + "/Releases/" + r.sid,
	}
}
