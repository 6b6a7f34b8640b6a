# The production image of internal-call: a static binary on distroless, run
# as a user without privileges, with no shell and no package manager.
#
#   docker build --build-arg VERSION=$(git describe --always) -t internal-call .
#   docker run --env-file .env -p 8080:8080 internal-call
#
# Every replica must run the same VERSION: pages and assets are cached per version.

ARG GO_VERSION=1.26

# Stage 1: the browser assets the server embeds, then the server itself.
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN mkdir -p web/dist \
 && cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" web/dist/wasm_exec.js \
 && GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o web/dist/bridge.wasm ./wasm/bridge \
 && GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" $(sed 's/^/-gcflags=/' wasm/dialpad/gcflags) -o web/dist/dialpad.wasm ./wasm/dialpad \
 && go run ./server/cmd/precompress -quality max web/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/flex-internal-call/internal-call/server/app.Version=${VERSION}" \
      -o /out/internal-call ./server/cmd/internal-call

# Stage 2: the binary alone. distroless/static carries CA certificates (for
# Twilio's TLS) and time zones, and its nonroot user (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/internal-call /usr/local/bin/internal-call
USER 65532:65532
# ADDR (public: Twilio's webhooks, Flex's browsers). The metrics listener
# stays on the container's loopback unless METRICS_ADDR says otherwise.
EXPOSE 8080
ENV ADDR=:8080
ENTRYPOINT ["/usr/local/bin/internal-call"]
CMD ["serve"]
