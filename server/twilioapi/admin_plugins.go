package twilioapi

import (
	"context"
	"slices"

	flex "github.com/twilio/twilio-go/rest/flex/v1"

	"github.com/flex-internal-call/internal-call/server/admin"
)

// SID prefixes of the Flex Plugins API.
const (
	prefixPlugin              = "FP"
	prefixPluginVersion       = "FV"
	prefixPluginConfiguration = "FJ"
)

// ListPlugins lists the account's Flex plugins.
func (c *Client) ListPlugins(ctx context.Context) ([]admin.Plugin, error) {
	raws, err := c.flex(ctx).ListPlugin(&flex.ListPluginParams{})
	if err != nil {
		return nil, classify(err, "list Flex plugins")
	}
	out := make([]admin.Plugin, 0, len(raws))
	for _, p := range raws {
		out = append(out, toPlugin(p))
	}
	return out, nil
}

func toPlugin(p flex.FlexV1Plugin) admin.Plugin {
	return admin.Plugin{Sid: deref(p.Sid), UniqueName: deref(p.UniqueName), FriendlyName: deref(p.FriendlyName),
		Description: deref(p.Description), Archived: deref(p.Archived)}
}

// CreatePlugin registers a Flex plugin.
func (c *Client) CreatePlugin(ctx context.Context, p admin.Plugin) (admin.Plugin, error) {
	created, err := c.flex(ctx).CreatePlugin(new(flex.CreatePluginParams).
		SetUniqueName(p.UniqueName).SetFriendlyName(p.FriendlyName).SetDescription(p.Description))
	if err != nil {
		return admin.Plugin{}, classify(err, "create Flex plugin "+p.UniqueName)
	}
	return toPlugin(*created), nil
}

// ListPluginVersions lists a plugin's versions.
func (c *Client) ListPluginVersions(ctx context.Context, pluginSid string) ([]admin.PluginVersion, error) {
	if err := checkSIDs("list plugin versions", prefixPlugin, pluginSid); err != nil {
		return nil, err
	}
	raws, err := c.flex(ctx).ListPluginVersion(pluginSid, &flex.ListPluginVersionParams{})
	if err != nil {
		return nil, classify(err, "list versions of Flex plugin "+pluginSid)
	}
	out := make([]admin.PluginVersion, 0, len(raws))
	for _, v := range raws {
		out = append(out, admin.PluginVersion{Sid: deref(v.Sid), PluginSid: deref(v.PluginSid), Version: deref(v.Version),
			URL: deref(v.PluginUrl), Changelog: deref(v.Changelog), Archived: deref(v.Archived)})
	}
	return out, nil
}

// CreatePluginVersion adds a version (the URL Flex loads) to a plugin.
func (c *Client) CreatePluginVersion(ctx context.Context, v admin.PluginVersion) (admin.PluginVersion, error) {
	if err := checkSIDs("create plugin version", prefixPlugin, v.PluginSid); err != nil {
		return admin.PluginVersion{}, err
	}
	created, err := c.flex(ctx).CreatePluginVersion(v.PluginSid, new(flex.CreatePluginVersionParams).
		SetVersion(v.Version).SetPluginUrl(v.URL).SetChangelog(v.Changelog).SetPrivate(false))
	if err != nil {
		return admin.PluginVersion{}, classify(err, "create version "+v.Version+" of Flex plugin "+v.PluginSid)
	}
	return admin.PluginVersion{Sid: deref(created.Sid), PluginSid: deref(created.PluginSid), Version: deref(created.Version),
		URL: deref(created.PluginUrl), Changelog: deref(created.Changelog), Archived: deref(created.Archived)}, nil
}

// ListReleases lists the plugin releases, newest (the live one) first.
func (c *Client) ListReleases(ctx context.Context) ([]admin.Release, error) {
	raws, err := c.flex(ctx).ListPluginRelease(&flex.ListPluginReleaseParams{})
	if err != nil {
		return nil, classify(err, "list Flex plugin releases")
	}
	out := make([]admin.Release, 0, len(raws))
	for _, r := range raws {
		rel := admin.Release{Sid: deref(r.Sid), ConfigurationSid: deref(r.ConfigurationSid)}
		if r.DateCreated != nil {
			rel.Created = *r.DateCreated
		}
		out = append(out, rel)
	}
	// Twilio lists the newest first; dates (to the second) keep it so should
	// a page come back in another order, ties in the order given.
	slices.SortStableFunc(out, func(a, b admin.Release) int { return b.Created.Compare(a.Created) })
	return out, nil
}

// ListConfiguredPlugins lists the plugin versions of a plugin configuration.
func (c *Client) ListConfiguredPlugins(ctx context.Context, configurationSid string) ([]admin.ConfiguredPlugin, error) {
	if err := checkSIDs("list configured plugins", prefixPluginConfiguration, configurationSid); err != nil {
		return nil, err
	}
	raws, err := c.flex(ctx).ListConfiguredPlugin(configurationSid, &flex.ListConfiguredPluginParams{})
	if err != nil {
		return nil, classify(err, "list the plugins of configuration "+configurationSid)
	}
	out := make([]admin.ConfiguredPlugin, 0, len(raws))
	for _, p := range raws {
		out = append(out, admin.ConfiguredPlugin{PluginSid: deref(p.PluginSid), UniqueName: deref(p.UniqueName),
			VersionSid: deref(p.PluginVersionSid), Version: deref(p.Version), URL: deref(p.PluginUrl), Phase: p.Phase})
	}
	return out, nil
}

// CreatePluginConfiguration creates a configuration of the given plugin versions.
func (c *Client) CreatePluginConfiguration(ctx context.Context, name string, plugins []admin.ConfiguredPlugin) (string, error) {
	entries := make([]any, 0, len(plugins))
	for _, p := range plugins {
		if err := checkSIDs("create plugin configuration", prefixPluginVersion, p.VersionSid); err != nil {
			return "", err
		}
		entries = append(entries, map[string]any{"plugin_version": p.VersionSid, "phase": p.Phase})
	}
	cfg, err := c.flex(ctx).CreatePluginConfiguration(new(flex.CreatePluginConfigurationParams).
		SetName(name).SetPlugins(entries))
	if err != nil {
		return "", classify(err, "create plugin configuration "+name)
	}
	return deref(cfg.Sid), nil
}

// CreateRelease makes a plugin configuration live.
func (c *Client) CreateRelease(ctx context.Context, configurationSid string) (admin.Release, error) {
	if err := checkSIDs("create plugin release", prefixPluginConfiguration, configurationSid); err != nil {
		return admin.Release{}, err
	}
	r, err := c.flex(ctx).CreatePluginRelease(new(flex.CreatePluginReleaseParams).SetConfigurationId(configurationSid))
	if err != nil {
		return admin.Release{}, classify(err, "release plugin configuration "+configurationSid)
	}
	rel := admin.Release{Sid: deref(r.Sid), ConfigurationSid: deref(r.ConfigurationSid)}
	if r.DateCreated != nil {
		rel.Created = *r.DateCreated
	}
	return rel, nil
}

// The admin commands' interfaces, as this package implements them.
var (
	_ admin.Account           = (*Client)(nil)
	_ admin.FlexConfiguration = (*Client)(nil)
	_ admin.PluginService     = (*Client)(nil)
	_ admin.Workspace         = (*TaskRouter)(nil)
)
