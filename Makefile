# Flex Internal Call. The two commands a newcomer needs:
#   make run    serve the product (on the built-in Twilio simulator without credentials)
#   make test   run every test
GO       ?= go
BIN      := bin/internal-call
DIST     := web/dist
FUZZTIME ?= 3s

# Fuzz targets run for FUZZTIME each as part of make test: package:target.
FUZZ_TARGETS := \
	./server/httpapi:FuzzParseConferenceEvent \
	./server/httpapi:FuzzParseLegRequest \
	./server/twiliosim/expr:FuzzParse

.PHONY: all build assets run test vet unit fuzz bench clean

all: build

## assets: the browser files the server embeds (web/dist, never committed)
assets:
	@mkdir -p $(DIST)
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(DIST)/wasm_exec.js

## dialpad-wasm: the dialpad section (go-app), web/dist/dialpad.wasm
.PHONY: dialpad-wasm
dialpad-wasm:
	@mkdir -p $(DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(DIST)/dialpad.wasm ./wasm/dialpad

## wasm: the browser WebAssembly bundles (bridge-wasm builds web/dist/bridge.wasm)
.PHONY: wasm bridge-wasm precompress test-wasm wasm-size
wasm: bridge-wasm

## bridge-wasm: the Flex bridge (safejs), web/dist/bridge.wasm
bridge-wasm:
	@mkdir -p $(DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(DIST)/bridge.wasm ./wasm/bridge

## precompress: .br and .gz siblings of web/dist files (max quality; up-to-date ones skipped)
precompress:
	$(GO) run ./server/cmd/precompress $(DIST)

## test-wasm: the bridge's tests under node (GOOS=js GOARCH=wasm), then the plugin shim's node tests
test-wasm: bridge-wasm
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm/bridge/...
	BRIDGE_WASM=$(DIST)/bridge.wasm node --test plugin-shim/

## wasm-size: bridge.wasm raw and brotli sizes (budget 700 KB brotli) and the 10k-worker directory benchmark
wasm-size: bridge-wasm
	$(GO) run ./server/cmd/precompress -force $(DIST)/bridge.wasm
	GOOS=js GOARCH=wasm $(GO) test -run='^$$' -bench=. -benchtime=20x -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm/bridge/

## build: the server binary, with the assets embedded
build: assets
	$(GO) build -o $(BIN) ./server/cmd/internal-call

## run: serve the product; with no Twilio credentials it runs on the simulator
run: build
	./$(BIN) serve

## test: vet, unit and integration tests (race detector on), then each fuzz target briefly
test: vet unit fuzz

vet: assets
	$(GO) vet ./...

unit: assets
	$(GO) test -race -count=1 ./...

fuzz: assets
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done

## bench: Go benchmarks
bench: assets
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	rm -rf bin
	find $(DIST) -type f ! -name .keep -delete
