package flexapi

import (
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

// Host is the real host of the Flex API, used in the resources' url fields.
const Host = "flex-api.twilio.com"

// API is one account's simulated Flex API. It is safe for concurrent use.
type API struct {
	accountSid string
	now        func() time.Time

	mu      sync.Mutex
	config  map[string]any
	plugins pluginStore
}

// New returns the Flex API of accountSid with a configuration holding only what
// a fresh Flex account has; Seed-like callers fill the rest with UpdateConfiguration.
func New(accountSid string) *API {
	a := &API{accountSid: accountSid, now: time.Now}
	a.config = defaultConfiguration(accountSid, a.now())
	a.plugins.init()
	return a
}

// Routes mounts the API relative to the product prefix (the caller mounts it
// under /flex-api).
func (a *API) Routes(r chi.Router) {
	r.Get("/v1/Configuration", a.fetchConfiguration)
	r.Post("/v1/Configuration", a.updateConfiguration)

	r.Route("/v1/PluginService", func(r chi.Router) {
		r.Get("/Plugins", a.listPlugins)
		r.Post("/Plugins", a.createPlugin)
		r.Get("/Plugins/{PluginSid}", a.fetchPlugin)
		r.Post("/Plugins/{PluginSid}", a.updatePlugin)
		r.Post("/Plugins/{PluginSid}/Archive", a.archivePlugin)
		r.Get("/Plugins/{PluginSid}/Versions", a.listVersions)
		r.Post("/Plugins/{PluginSid}/Versions", a.createVersion)
		r.Get("/Plugins/{PluginSid}/Versions/{Sid}", a.fetchVersion)
		r.Post("/Plugins/{PluginSid}/Versions/{Sid}/Archive", a.archiveVersion)
		r.Get("/Configurations", a.listConfigurations)
		r.Post("/Configurations", a.createConfiguration)
		r.Get("/Configurations/{Sid}", a.fetchConfigurationResource)
		r.Post("/Configurations/{Sid}/Archive", a.archiveConfiguration)
		r.Get("/Configurations/{Sid}/Plugins", a.listConfiguredPlugins)
		r.Get("/Configurations/{Sid}/Plugins/{PluginSid}", a.fetchConfiguredPlugin)
		r.Get("/Releases", a.listReleases)
		r.Post("/Releases", a.createRelease)
		r.Get("/Releases/{Sid}", a.fetchRelease)
	})
}
