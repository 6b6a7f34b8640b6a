package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
)

// Logging is how the commands log: LOG_FORMAT and LOG_LEVEL.
type Logging struct {
	JSON  bool
	Level slog.Level
}

// Handler writes log lines to w as the settings say.
func (l Logging) Handler(w io.Writer) slog.Handler {
	o := &slog.HandlerOptions{Level: l.Level}
	if l.JSON {
		return slog.NewJSONHandler(w, o)
	}
	return slog.NewTextHandler(w, o)
}

// LoadLogging reads LOG_FORMAT and LOG_LEVEL alone, so that a command can
// log as configured before the rest of its settings are read.
func LoadLogging(env Lookup) (Logging, error) {
	l, errs := loadLogging(Getter(env, Settings))
	return l, errors.Join(errs...)
}

func loadLogging(get func(string) string) (Logging, []error) {
	var l Logging
	var errs []error
	switch f := get("LOG_FORMAT"); f {
	case "text":
	case "json":
		l.JSON = true
	default:
		errs = append(errs, fmt.Errorf("LOG_FORMAT must be text or json (got %q)", f))
	}
	switch v := get("LOG_LEVEL"); v {
	case "debug":
		l.Level = slog.LevelDebug
	case "info":
		l.Level = slog.LevelInfo
	case "warn":
		l.Level = slog.LevelWarn
	case "error":
		l.Level = slog.LevelError
	default:
		errs = append(errs, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error (got %q)", v))
	}
	return l, errs
}

// Metrics is where the Prometheus metrics are served.
type Metrics struct {
	// Addr is a listener of their own, unauthenticated ("" = none).
	Addr string
	// Token, when set, also serves them on the public port at /metrics to
	// requests bearing it ("" = the public port has no /metrics).
	Token string
}

// minMetricsToken is the shortest METRICS_TOKEN accepted.
const minMetricsToken = 16

func loadMetrics(get func(string) string, addr string) (Metrics, []error) {
	m := Metrics{Addr: get("METRICS_ADDR"), Token: get("METRICS_TOKEN")}
	var errs []error
	if m.Addr != "" {
		if err := checkListenAddr(m.Addr); err != nil {
			errs = append(errs, fmt.Errorf("METRICS_ADDR %w (empty turns the metrics listener off)", err))
		} else if m.Addr == addr && !strings.HasSuffix(addr, ":0") {
			errs = append(errs, fmt.Errorf("METRICS_ADDR must differ from ADDR (%s): the public port serves metrics only with METRICS_TOKEN", addr))
		}
	}
	if m.Token != "" && (len(m.Token) < minMetricsToken || strings.ContainsFunc(m.Token, isSpaceOrControl)) {
		errs = append(errs, fmt.Errorf("METRICS_TOKEN must be at least %d characters without spaces (e.g. openssl rand -hex 32)", minMetricsToken))
	}
	return m, errs
}

// checkListenAddr accepts host:port with a port number (host may be empty).
func checkListenAddr(a string) error {
	_, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("must be host:port, e.g. 127.0.0.1:9464 (got %q)", a)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("must have a port number (got %q)", a)
	}
	return nil
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }
