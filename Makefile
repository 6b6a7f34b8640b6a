# Flex Internal Call. The two commands a newcomer needs:
#   make run    the demo: the product on the built-in Twilio simulator
#   make test   run every test
GO       ?= go
BIN      := bin/internal-call
DEMO     := bin/internal-call-demo
DIST     := web/dist
FUZZ_EXECS ?= 20000
# QUALITY of the precompressed assets: fast for make run and make test (seconds),
# max for make release (brotli 11, about a minute for the bundles).
QUALITY  ?= fast
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/flex-internal-call/internal-call/server/app.Version=$(VERSION)
WASMEXEC  = $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
WASMBUILD = GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w"

# Fuzz targets run for FUZZ_EXECS inputs each as part of make test (a count, not a
# duration: see server/bench RunFuzz on golang/go#75804): package:target.
FUZZ_TARGETS := \
	./server/httpapi:FuzzParseConferenceEvent \
	./server/httpapi:FuzzParseLegRequest \
	./call:FuzzParseAttributes \
	./call:FuzzEscape \
	./wasm/frameproto:FuzzDecode \
	./server/twiliosim/expr:FuzzParse

.PHONY: all assets wasm-exec bridge-wasm dialpad-wasm precompress build run release \
	test vet unit budget-assets fuzz test-wasm flexui-parity browser e2e flexui chromium bench bench-go chaos chaos-small wasm-size clean

all: build

## assets: the browser files the server embeds in web/dist (built, never committed)
assets: wasm-exec bridge-wasm dialpad-wasm precompress

wasm-exec:
	@mkdir -p $(DIST)
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(DIST)/wasm_exec.js

## bridge-wasm: the Flex bridge (safejs), web/dist/bridge.wasm
bridge-wasm:
	@mkdir -p $(DIST)
	$(WASMBUILD) -o $(DIST)/bridge.wasm ./wasm/bridge

## dialpad-wasm: the dialpad section (go-app), web/dist/dialpad.wasm. Compiled
## without inlining except in the runtime and our own packages (one -gcflags
## pattern per line of wasm/dialpad/gcflags, also read by the Dockerfile and the
## dialpad's browser tests): 1,499,172 -> 1,480,149 B brotli, keystroke p95 at
## 10,000 workers unchanged (17-20 ms either way).
dialpad-wasm:
	@mkdir -p $(DIST)
	$(WASMBUILD) $(foreach f,$(shell cat wasm/dialpad/gcflags),-gcflags='$(f)') -o $(DIST)/dialpad.wasm ./wasm/dialpad

## precompress: .br and .gz siblings of web/dist files at $(QUALITY); files whose
## content and quality are unchanged since the last run are skipped
precompress: wasm-exec bridge-wasm dialpad-wasm
	$(GO) run ./server/cmd/precompress -quality $(QUALITY) $(DIST)

## build: the server binary (production: Twilio only) and the demo binary
## (the server on the built-in Twilio simulator), with the assets embedded
build: assets
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./server/cmd/internal-call
	$(GO) build -ldflags "$(LDFLAGS)" -o $(DEMO) ./server/cmd/internal-call-demo

## run: the demo: the product on the built-in Twilio simulator, on loopback
run: build
	./$(DEMO)

## release: the binaries with the assets compressed at maximum quality, for deploying
release:
	$(MAKE) build QUALITY=max

## test: everything — vet, Go tests with the race detector, fuzzing, the browser
## side under node, the dialpad and the end-to-end flows in headless Chromium
test: vet unit fuzz test-wasm flexui-parity chaos-small browser e2e

vet: assets
	$(GO) vet ./...

unit: assets budget-assets
	$(GO) test -race -count=1 ./...

# budget-assets: the bundles at maximum compression, which the size budgets
# (bridge 700 KB, dialpad 1.5 MB brotli) are checked against; skipped when
# their bytes did not change.
budget-assets: bridge-wasm dialpad-wasm
	$(GO) run ./server/cmd/precompress -quality max $(DIST)/bridge.wasm $(DIST)/dialpad.wasm

fuzz: assets
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($(FUZZ_EXECS) inputs)"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZ_EXECS)x $$pkg; \
	done

## test-wasm: the bridge's tests under node (GOOS=js GOARCH=wasm), then the plugin shim's node tests
test-wasm: bridge-wasm
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASMEXEC)" ./wasm/bridge/...
	BRIDGE_WASM=$(DIST)/bridge.wasm node --test plugin-shim/

## chromium: install Debian's chromium when missing (or say how)
chromium:
	@scripts/ensure-chromium

## browser: the dialpad framed in headless Chromium: keyboard flow with third-party
## storage blocked, disallowed origin, axe-core in both themes
browser: chromium node_modules/axe-core/axe.min.js
	$(GO) test -tags browser -count=1 -timeout 5m -run '^TestBrowser(Dialpad|Accessibility)$$' ./wasm/dialpad/page/

# Test tools from the npm registry (package.json: axe-core, the Flex UI and
# its peers, esbuild), never shipped.
NPM_STAMP := node_modules/.npm-ci
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@
node_modules/axe-core/axe.min.js: $(NPM_STAMP)

## flexui: the real Flex UI (@twilio/flex-ui 2.17.1 with React 17, react-dom,
## redux, react-redux) bundled for the browser with esbuild into $(FLEXUI), for
## the e2e desks, its TaskRouter SDK replaced by the simulator's (build.mjs);
## rebuilt only when its inputs change (a second make is a no-op)
FLEXUI       := .cache/flex-ui/flex-ui.js
FLEXUI_SRC   := server/twiliosim/flexdesk/realflex
flexui: $(FLEXUI)
$(FLEXUI): $(NPM_STAMP) $(addprefix $(FLEXUI_SRC)/,build.mjs entry.js path.js taskrouter.js)
	@mkdir -p $(dir $@)
	node $(FLEXUI_SRC)/build.mjs $@.tmp
	@mv $@.tmp $@

## flexui-parity: the Flex stand-in (flexstub.js, the bridge's node tests) against
## the real Flex UI bundle under node: the same reservations, the same actions
flexui-parity: $(FLEXUI)
	node --test $(FLEXUI_SRC)/

## e2e: agent desktops running the real plugin in headless Chromium, one browser
## context per agent, every call flow on the simulator: the agent-call flows on
## the real Flex UI ($(FLEXUI)), the rest on the Flex stand-in (E2E=0 skips)
e2e: assets chromium $(FLEXUI)
	$(GO) test -tags e2e -count=1 -timeout 10m ./server/e2e/

## bench: the published report, bench/results/latest.json and latest.md: bundle sizes,
## keystroke latency (1,000 and 10,000 workers) and desk boot in Chromium, one desk's
## memory over 200 calls, the signed webhooks' throughput against the Node comparison
## (bench/node) and a bare net/http ceiling, Twilio connection reuse, click on Call ->
## both legs connected and its Twilio round trips, make chaos's results, each fuzz
## target for BENCH_FUZZ_EXECS inputs. About 15 minutes. The Go benchmarks: make bench-go.
BENCH_FUZZ_EXECS ?= 300000
bench: build budget-assets chromium $(FLEXUI) bench/node/node_modules/twilio/package.json
	$(GO) run ./server/cmd/bench -product $(BIN) -node bench/node -fuzz-execs $(BENCH_FUZZ_EXECS) \
		-fuzz-targets "$(FUZZ_TARGETS)"

# The Node comparison's packages, from its committed package-lock.json.
bench/node/node_modules/twilio/package.json: bench/node/package.json bench/node/package-lock.json
	cd bench/node && npm ci --no-audit --no-fund
	@touch $@

## bench-go: the Go benchmarks (go test -bench) of every package, and the bridge's
## 10k-worker directory benchmark under node
bench-go: assets wasm-size
	$(GO) test -run='^$$' -bench=. -benchmem -timeout 10m ./...

## chaos: the chaos run of "Call setup in any order" on loopback: 600 calls at once
## over 1,229 simulated agents, Twilio faults, two replicas behind a round-robin
## proxy, one restarted midway; writes bench/results/chaos.json and fails on any
## duplicate, lost or open call, untold failure or unscripted outcome. Bounded
## (CHAOS_TIMEOUT, default 10m); CHAOS_SEED=<n> repeats a run.
chaos: assets
	$(GO) run ./server/cmd/chaos -out bench/results/chaos.json

## chaos-small: the 60-call version as a Go test (race detector on; behind the chaos
## build tag, so go test ./... leaves it out), a step of make test.
## A failing run leaves the servers' and simulator's log and prints its path.
chaos-small: assets
	$(GO) test -tags chaos -race -count=1 -timeout 5m -run '^TestChaos$$' ./server/chaos/

## wasm-size: raw and brotli sizes of the bundles (budgets 700 KB bridge, 1.5 MB dialpad)
## and the 10k-worker directory benchmark of the bridge
wasm-size: bridge-wasm dialpad-wasm
	$(GO) run ./server/cmd/precompress -quality max $(DIST)/bridge.wasm $(DIST)/dialpad.wasm
	GOOS=js GOARCH=wasm $(GO) test -run='^$$' -bench=. -benchtime=20x -exec="$(WASMEXEC)" ./wasm/bridge/

clean:
	rm -rf bin
	find $(DIST) -type f ! -name .keep -delete
