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
