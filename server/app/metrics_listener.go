package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/flex-internal-call/internal-call/server/httpapi"
)

// metricsListener serves the metrics, and nothing else, unauthenticated on
// METRICS_ADDR: a port the operator keeps private.
type metricsListener struct {
	ln   net.Listener
	http *http.Server
	log  *slog.Logger
}

func listenMetrics(addr string, metrics http.Handler, log *slog.Logger) (*metricsListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+httpapi.MetricsPath, metrics)
	return &metricsListener{ln: ln, log: log, http: &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}}, nil
}

// serve serves until shutdown. A failure is logged: the calls go on
// without their metrics.
func (m *metricsListener) serve() {
	if err := m.http.Serve(m.ln); !errors.Is(err, http.ErrServerClosed) {
		m.log.Error("metrics listener stopped", "addr", m.ln.Addr().String(), "error", err)
	}
}

// metricsGrace bounds how long a scrape in progress may hold up shutdown.
const metricsGrace = 5 * time.Second

func (m *metricsListener) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), metricsGrace)
	defer cancel()
	if err := m.http.Shutdown(ctx); err != nil {
		_ = m.http.Close()
	}
}
