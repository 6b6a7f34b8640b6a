package admin

import (
	"context"
	"time"
)

// What the admin commands need of Twilio, one small interface per product.
// server/twilioapi implements them with twilio-go; every call takes the
// command's context.

// Account is the Twilio account as one set of credentials sees it.
type Account interface {
	// FetchAccountName returns the account's friendly name; it fails when the
	// credentials are refused.
	FetchAccountName(ctx context.Context) (string, error)
}

// Workspace is the Flex TaskRouter workspace.
type Workspace interface {
	FetchWorkspace(ctx context.Context) (name string, err error)
	ListWorkflows(ctx context.Context) ([]Workflow, error)
	ListQueues(ctx context.Context) ([]Queue, error)
	CreateWorkflow(ctx context.Context, name, configuration string) (Workflow, error)
	UpdateWorkflowConfiguration(ctx context.Context, sid, configuration string) error
	CreateQueue(ctx context.Context, name, targetWorkers string) (Queue, error)
}

// FlexConfiguration is the account's Flex configuration document.
type FlexConfiguration interface {
	FetchFlexConfiguration(ctx context.Context) (map[string]any, error)
	// UpdateFlexConfiguration replaces each top-level key of patch whole.
	UpdateFlexConfiguration(ctx context.Context, patch map[string]any) error
}

// PluginService is the Flex Plugins API.
type PluginService interface {
	ListPlugins(ctx context.Context) ([]Plugin, error)
	CreatePlugin(ctx context.Context, p Plugin) (Plugin, error)
	ListPluginVersions(ctx context.Context, pluginSid string) ([]PluginVersion, error)
	CreatePluginVersion(ctx context.Context, v PluginVersion) (PluginVersion, error)
	// ListReleases lists the releases newest first: the first is live.
	ListReleases(ctx context.Context) ([]Release, error)
	ListConfiguredPlugins(ctx context.Context, configurationSid string) ([]ConfiguredPlugin, error)
	CreatePluginConfiguration(ctx context.Context, name string, plugins []ConfiguredPlugin) (configurationSid string, err error)
	CreateRelease(ctx context.Context, configurationSid string) (Release, error)
}

// Twilio is everything the admin commands talk to.
type Twilio struct {
	// AuthToken is the account seen with its auth token; APIKey with
	// TWILIO_API_KEY (nil when no API key is set).
	AuthToken, APIKey Account
	Workspace         Workspace
	Flex              FlexConfiguration
	Plugins           PluginService
}

// Workflow is a TaskRouter workflow.
type Workflow struct {
	Sid, Name, Configuration string
}

// Queue is a TaskRouter task queue.
type Queue struct {
	Sid, Name, TargetWorkers string
}

// Plugin is a Flex plugin of the Plugins API.
type Plugin struct {
	Sid, UniqueName, FriendlyName, Description string
	Archived                                   bool
}

// PluginVersion is one version of a plugin: the URL Flex loads.
type PluginVersion struct {
	Sid, PluginSid, Version, URL, Changelog string
	Archived                                bool
}

// Release makes a plugin configuration live.
type Release struct {
	Sid, ConfigurationSid string
	Created               time.Time
}

// ConfiguredPlugin is one plugin version of a plugin configuration.
type ConfiguredPlugin struct {
	PluginSid, UniqueName string
	VersionSid, Version   string
	URL                   string
	Phase                 int
}
