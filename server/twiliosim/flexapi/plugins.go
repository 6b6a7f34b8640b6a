package flexapi

import (
	"time"
)

// The Plugins API's resources, as stored. Order slices keep list answers in
// creation order, as Twilio lists them.
type plugin struct {
	sid, uniqueName, friendlyName, description string
	archived                                   bool
	created, updated                           time.Time
}

type pluginVersion struct {
	sid, pluginSid, version, pluginURL, changelog string
	cliVersion                                    string // the Flex Plugins CLI that made it, when one did
	private, archived, validated                  bool
	created                                       time.Time
}

type pluginConfiguration struct {
	sid, name, description string
	archived               bool
	created                time.Time
	plugins                []configuredPlugin
}

// configuredPlugin is one entry of a configuration's Plugins parameter.
type configuredPlugin struct {
	PluginVersion string `json:"plugin_version"`
	Phase         int    `json:"phase"`
}

type release struct {
	sid, configurationSid string
	created               time.Time
}

type pluginStore struct {
	plugins        map[string]*plugin
	pluginOrder    []string
	versions       map[string]*pluginVersion
	versionOrder   []string
	configurations map[string]*pluginConfiguration
	configOrder    []string
	releases       map[string]*release
	releaseOrder   []string
}

func (s *pluginStore) init() {
	s.plugins = map[string]*plugin{}
	s.versions = map[string]*pluginVersion{}
	s.configurations = map[string]*pluginConfiguration{}
	s.releases = map[string]*release{}
}

// ReleasedPlugin is a plugin Flex would load: one entry of the configuration of
// the newest release.
type ReleasedPlugin struct {
	UniqueName string
	Version    string
	PluginURL  string
	Phase      int
}

// ReleasedPlugins lists the plugins of the active (newest) release, in the order
// of its configuration; empty before the first release.
func (a *API) ReleasedPlugins() []ReleasedPlugin {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := &a.plugins
	if len(s.releaseOrder) == 0 {
		return nil
	}
	rel := s.releases[s.releaseOrder[len(s.releaseOrder)-1]]
	var out []ReleasedPlugin
	for _, cp := range s.configurations[rel.configurationSid].plugins {
		v := s.versions[cp.PluginVersion]
		out = append(out, ReleasedPlugin{
			UniqueName: s.plugins[v.pluginSid].uniqueName,
			Version:    v.version,
			PluginURL:  v.pluginURL,
			Phase:      cp.Phase,
		})
	}
	return out
}
