package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// The plugin as the Plugins API knows it.
const (
	PluginUniqueName   = "internal-call"
	pluginFriendlyName = "Internal Call"
	pluginDescription  = "Agent-to-agent and queue calls from the Flex dialpad (Flex Internal Call)."
	// pluginPhase is the loading phase of a Flex UI 2 plugin, what the Flex Plugins CLI uses.
	pluginPhase  = 3
	firstVersion = "1.0.0"
)

// pluginState is what the Plugins API holds: our plugin, its versions, the
// releases (newest, the live one, first) and the live configuration.
type pluginState struct {
	plugin   *Plugin
	versions []PluginVersion
	releases []Release
	live     []ConfiguredPlugin
	err      error
}

func readPlugins(ctx context.Context, ps PluginService) pluginState {
	var s pluginState
	plugins, err := ps.ListPlugins(ctx)
	if err != nil {
		s.err = err
		return s
	}
	for _, p := range plugins {
		if p.UniqueName == PluginUniqueName {
			p := p
			s.plugin = &p
		}
	}
	if s.plugin != nil {
		if s.versions, err = ps.ListPluginVersions(ctx, s.plugin.Sid); err != nil {
			s.err = err
			return s
		}
	}
	if s.releases, err = ps.ListReleases(ctx); err != nil {
		s.err = err
		return s
	}
	if len(s.releases) > 0 {
		s.live, s.err = ps.ListConfiguredPlugins(ctx, s.releases[0].ConfigurationSid)
	}
	return s
}

// liveOurs is our plugin's entry in the live configuration.
func (s pluginState) liveOurs() (ConfiguredPlugin, bool) {
	for _, cp := range s.live {
		if cp.UniqueName == PluginUniqueName {
			return cp, true
		}
	}
	return ConfiguredPlugin{}, false
}

// pluginDeploy is what deploying the plugin at url changes.
type pluginDeploy struct {
	url          string
	createPlugin bool
	pluginSid    string // when registered
	// reuse is an existing version at url; nil: create newVersion.
	reuse      *PluginVersion
	newVersion string
	phase      int
	// others are the live configuration's other plugins, kept as they are.
	others   []ConfiguredPlugin
	upToDate bool
}

func planDeploy(s pluginState, url string) (pluginDeploy, error) {
	if s.err != nil {
		return pluginDeploy{}, fmt.Errorf("reading the Flex Plugins API: %w", s.err)
	}
	d := pluginDeploy{url: url, createPlugin: s.plugin == nil, phase: pluginPhase}
	if s.plugin != nil {
		d.pluginSid = s.plugin.Sid
	}
	if s.plugin != nil && s.plugin.Archived {
		return d, fmt.Errorf("Flex plugin %s (%s) is archived and takes no new versions: deploy under another account or ask Twilio support to restore it", PluginUniqueName, s.plugin.Sid)
	}
	live, isLive := s.liveOurs()
	if isLive && live.URL == url {
		d.upToDate = true
		return d, nil
	}
	if isLive {
		d.phase = live.Phase
	}
	for _, cp := range s.live {
		if cp.UniqueName != PluginUniqueName {
			d.others = append(d.others, cp)
		}
	}
	for i := len(s.versions) - 1; i >= 0; i-- {
		if v := s.versions[i]; v.URL == url && !v.Archived {
			d.reuse = &v
			break
		}
	}
	if d.reuse == nil {
		d.newVersion = nextVersion(s.versions)
	}
	return d, nil
}

// steps describe the deploy, one line per change.
func (d pluginDeploy) steps() []string {
	if d.upToDate {
		return nil
	}
	var out []string
	if d.createPlugin {
		out = append(out, fmt.Sprintf("register Flex plugin %q", PluginUniqueName))
	}
	if d.reuse != nil {
		out = append(out, fmt.Sprintf("reuse plugin version %s (%s) at %s", d.reuse.Version, d.reuse.Sid, d.url))
	} else {
		out = append(out, fmt.Sprintf("create plugin version %s at %s", d.newVersion, d.url))
	}
	keep := "no other plugin is live"
	if len(d.others) > 0 {
		var names []string
		for _, cp := range d.others {
			names = append(names, cp.UniqueName+"@"+cp.Version)
		}
		keep = "keeping " + strings.Join(names, ", ")
	}
	out = append(out, "release a plugin configuration with it, "+keep)
	return out
}

// apply makes the deploy live and returns the new release.
func (d pluginDeploy) apply(ctx context.Context, ps PluginService) (Release, error) {
	if d.upToDate {
		return Release{}, errors.New("admin: nothing to deploy")
	}
	pluginSid := d.pluginSid
	if d.createPlugin {
		p, err := ps.CreatePlugin(ctx, Plugin{UniqueName: PluginUniqueName, FriendlyName: pluginFriendlyName, Description: pluginDescription})
		if err != nil {
			return Release{}, fmt.Errorf("registering Flex plugin %s: %w", PluginUniqueName, err)
		}
		pluginSid = p.Sid
	}
	v := d.reuse
	if v == nil {
		created, err := ps.CreatePluginVersion(ctx, PluginVersion{PluginSid: pluginSid, Version: d.newVersion, URL: d.url,
			Changelog: "Published by internal-call plugin deploy"})
		if err != nil {
			return Release{}, fmt.Errorf("creating version %s of Flex plugin %s: %w", d.newVersion, PluginUniqueName, err)
		}
		v = &created
	}
	entries := append([]ConfiguredPlugin{}, d.others...)
	entries = append(entries, ConfiguredPlugin{PluginSid: v.PluginSid, UniqueName: PluginUniqueName,
		VersionSid: v.Sid, Version: v.Version, URL: v.URL, Phase: d.phase})
	cfg, err := ps.CreatePluginConfiguration(ctx, PluginUniqueName+" "+v.Version, entries)
	if err != nil {
		return Release{}, fmt.Errorf("creating the plugin configuration: %w", err)
	}
	rel, err := ps.CreateRelease(ctx, cfg)
	if err != nil {
		return Release{}, fmt.Errorf("releasing plugin configuration %s: %w", cfg, err)
	}
	return rel, nil
}

// nextVersion is one patch above the highest x.y.z version (firstVersion when none).
func nextVersion(vs []PluginVersion) string {
	var high [3]int
	found := false
	for _, v := range vs {
		n, ok := semver(v.Version)
		if ok && (!found || compareSemver(n, high) > 0) {
			high, found = n, true
		}
	}
	if !found {
		return firstVersion
	}
	return fmt.Sprintf("%d.%d.%d", high[0], high[1], high[2]+1)
}

func semver(s string) ([3]int, bool) {
	var out [3]int
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

func compareSemver(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}

// PluginDeploy publishes the plugin at the server's public URL: it
// registers the plugin and a version when needed, and releases a
// configuration that keeps every other live plugin. Deploying what is
// already live changes nothing and says so.
func PluginDeploy(ctx context.Context, ps PluginService, s Settings, out io.Writer) error {
	d, err := planDeploy(readPlugins(ctx, ps), s.PluginURL())
	if err != nil {
		return err
	}
	if d.upToDate {
		fmt.Fprintf(out, "Nothing to change: %s is live at %s.\n", PluginUniqueName, d.url)
		return nil
	}
	for _, step := range d.steps() {
		fmt.Fprintln(out, "- "+step)
	}
	rel, err := d.apply(ctx, ps)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Released %s: Flex loads %s on the agents' next page load.\n", rel.Sid, d.url)
	return nil
}

// PluginStatus prints the live release and its plugins.
func PluginStatus(ctx context.Context, ps PluginService, s Settings, out io.Writer) error {
	st := readPlugins(ctx, ps)
	if st.err != nil {
		return fmt.Errorf("reading the Flex Plugins API: %w", st.err)
	}
	if len(st.releases) == 0 {
		fmt.Fprintln(out, "No plugin release: Flex loads no plugin. Publish this one with: internal-call plugin deploy")
		return nil
	}
	rel := st.releases[0]
	fmt.Fprintf(out, "Live release %s (%s), configuration %s; %d release(s) in all.\n",
		rel.Sid, rel.Created.UTC().Format("2006-01-02 15:04:05Z"), rel.ConfigurationSid, len(st.releases))
	writePlugins(out, st.live, s.PluginURL())
	if ours, ok := st.liveOurs(); !ok {
		fmt.Fprintln(out, PluginUniqueName+" is not live: internal-call plugin deploy")
	} else if ours.URL != s.PluginURL() {
		fmt.Fprintf(out, "%s is live at %s, not at this server's %s: internal-call plugin deploy\n", PluginUniqueName, ours.URL, s.PluginURL())
	}
	return nil
}

// PluginRollback releases again the configuration of the release before the live one.
func PluginRollback(ctx context.Context, ps PluginService, s Settings, out io.Writer) error {
	st := readPlugins(ctx, ps)
	if st.err != nil {
		return fmt.Errorf("reading the Flex Plugins API: %w", st.err)
	}
	if len(st.releases) < 2 {
		return fmt.Errorf("no release before the live one to return to (%d release(s))", len(st.releases))
	}
	prev := st.releases[1]
	plugins, err := ps.ListConfiguredPlugins(ctx, prev.ConfigurationSid)
	if err != nil {
		return fmt.Errorf("reading plugin configuration %s: %w", prev.ConfigurationSid, err)
	}
	rel, err := ps.CreateRelease(ctx, prev.ConfigurationSid)
	if err != nil {
		return fmt.Errorf("releasing plugin configuration %s again: %w", prev.ConfigurationSid, err)
	}
	fmt.Fprintf(out, "Released %s: configuration %s of release %s is live again.\n", rel.Sid, prev.ConfigurationSid, prev.Sid)
	writePlugins(out, plugins, s.PluginURL())
	return nil
}

func writePlugins(out io.Writer, plugins []ConfiguredPlugin, ourURL string) {
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLUGIN\tVERSION\tPHASE\tURL")
	for _, cp := range plugins {
		note := ""
		if cp.UniqueName == PluginUniqueName && cp.URL == ourURL {
			note = "  (this server)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s%s\n", cp.UniqueName, cp.Version, cp.Phase, cp.URL, note)
	}
	if len(plugins) == 0 {
		fmt.Fprintln(tw, "(none)\t\t\t")
	}
	tw.Flush()
}
