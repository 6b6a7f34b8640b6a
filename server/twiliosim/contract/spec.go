package contract

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed spec/*.json
var specFS embed.FS

// product is one Twilio API as the simulator serves it. Its document is parsed
// on first use only: parsing is the expensive part (about 0.2–0.5 s per
// document, ten times that under -race), and most tests touch one product.
type product struct {
	prefix string // path prefix on the simulator, e.g. "/taskrouter"
	host   string // real host, as in the document's servers
	file   string // document under spec/

	once   sync.Once
	router routers.Router
	err    error
}

// products are the validated APIs. IAM is absent: Twilio publishes no document.
var products = []*product{
	{prefix: "/taskrouter", host: "taskrouter.twilio.com", file: "twilio_taskrouter_v1.json"},
	{prefix: "/api", host: "api.twilio.com", file: "twilio_api_v2010.json"},
	{prefix: "/flex-api", host: "flex-api.twilio.com", file: "twilio_flex_v1.json"},
}

var (
	loadAll  sync.Once
	loadTook time.Duration
)

// Load parses and checks all documents (in parallel) and builds their routers,
// once per process; later calls return the first result. Servers call it at
// startup to fail early and keep first requests fast; without it each document
// is loaded when its product is first requested.
func Load() error {
	loadAll.Do(func() {
		start := time.Now()
		var wg sync.WaitGroup
		for _, p := range products {
			wg.Go(func() { _, _ = p.load() })
		}
		wg.Wait()
		loadTook = time.Since(start)
	})
	for _, p := range products {
		if _, err := p.load(); err != nil {
			return err
		}
	}
	return nil
}

// LoadDuration is how long Load took, for logs and reports.
func LoadDuration() time.Duration {
	_ = Load()
	return loadTook
}

// load returns the product's router, building it on first use.
func (p *product) load() (routers.Router, error) {
	p.once.Do(func() { p.router, p.err = p.build() })
	return p.router, p.err
}

func (p *product) build() (routers.Router, error) {
	data, err := specFS.ReadFile("spec/" + p.file)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("contract: %s: %w", p.file, err)
	}
	// Twilio's own examples break their schemas; they matter to nobody here.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("contract: %s: %w", p.file, err)
	}
	typeUntypedFormArrays(doc)
	// gorillamux, not legacy: the legacy router cannot tell API 2010's
	// ".../Calls/{Sid}.json" from ".../Calls/{CallSid}/Events.json".
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: %s: %w", p.file, err)
	}
	return r, nil
}

// productFor returns the validated product serving path, and the path as on the
// real host; nil when the path is not under a validated prefix.
func productFor(path string) (*product, string) {
	for _, p := range products {
		if rest, ok := strings.CutPrefix(path, p.prefix); ok && strings.HasPrefix(rest, "/") {
			return p, rest
		}
	}
	return nil, ""
}
