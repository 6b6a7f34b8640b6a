package twilioapi

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// Connection pool sizing. Go's default transport keeps 2 idle connections
// per host: under concurrent webhooks most Twilio calls would then open a new
// connection, a TLS handshake (tens of milliseconds) on every REST call of
// every call setup.
const (
	maxIdlePerHost = 256
	maxIdle        = 1024
	idleTimeout    = 90 * time.Second
)

// NewPooledTransport is the transport the server reaches Twilio with: an idle
// pool per host sized for concurrent webhooks, keep-alive, HTTP/2 where the
// host offers it, and TLS sessions resumed across connections.
func NewPooledTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   5 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          maxIdle,
		MaxIdleConnsPerHost:   maxIdlePerHost,
		IdleConnTimeout:       idleTimeout,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig: &tls.Config{
			MinVersion:         tls.VersionTLS12,
			ClientSessionCache: tls.NewLRUClientSessionCache(256),
		},
	}
}
