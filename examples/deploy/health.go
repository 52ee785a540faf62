package deploy

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/camarahooks/camarahooks/receiver"
)

// readyTimeout bounds each readiness check, so that a hung dependency
// answers 503 before the load balancer's own probe timeout.
const readyTimeout = 2 * time.Second

// Health returns the handler of GET /healthz: 200 "ok" when rc.Ready
// reports the receiver ready (its dedup store and queue reachable), 503
// "not ready" otherwise, within 2 s. The reason goes to log at WARN (INFO
// for a shutdown, which is expected), never to the caller: it may name
// internal addresses. The answer carries no token and needs none, so a
// load balancer can probe it; it says only whether this replica takes
// traffic.
func Health(rc *receiver.Receiver, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := rc.Ready(ctx); err != nil {
			level := slog.LevelWarn
			if errors.Is(err, receiver.ErrShutdown) {
				level = slog.LevelInfo
			}
			log.Log(ctx, level, "not ready", "error", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
}
