package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

type logTaskKey struct{}

// setLogTask names the task a request is about in its log line.
func setLogTask(r *http.Request, taskSid string) {
	if p, ok := r.Context().Value(logTaskKey{}).(*string); ok {
		*p = taskSid
	}
}

// requestLog writes one structured line per request. Successful requests
// under quietPrefix (the simulator's own traffic in demo mode) are logged at
// debug level, so the product's lines stay readable.
func requestLog(log *slog.Logger, quietPrefix string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			var task string
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r.WithContext(context.WithValue(r.Context(), logTaskKey{}, &task)))
			status := statusWritten(ww)
			attrs := []any{
				"method", r.Method,
				"path", r.URL.Path,
				"route", routePattern(r),
				"status", status,
				"duration_ms", time.Since(start).Milliseconds(),
				"bytes", ww.BytesWritten(),
			}
			if task != "" {
				attrs = append(attrs, "task_sid", task)
			}
			level := slog.LevelInfo
			if quietPrefix != "" && strings.HasPrefix(r.URL.Path, quietPrefix) {
				level = slog.LevelDebug
			}
			if status >= 500 {
				level = slog.LevelError
			} else if status >= 400 {
				level = slog.LevelWarn
			}
			log.Log(r.Context(), level, "request", attrs...)
		})
	}
}
