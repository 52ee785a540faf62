package deploy_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/examples/deploy"
	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
)

// TestHealthFollowsRedis: GET /healthz of a receiver deduplicating on a
// real redis-server answers 200, 503 while the server is stopped, 200
// again once it is back, and 503 after the receiver's Shutdown; the
// answer never tells why.
func TestHealthFollowsRedis(t *testing.T) {
	srv := redistest.StartServer(t)
	client := redis.NewClient(&redis.Options{Addr: srv.Addr(), MaxRetries: 1})
	t.Cleanup(func() { client.Close() })
	store, err := redisdedup.New(redisdedup.Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "tok-health-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Dedup: receiver.DedupConfig{Store: store}})
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", deploy.Health(rc, slog.New(slog.NewTextHandler(&logs, nil))))
	hs := httptest.NewServer(mux)
	defer hs.Close()

	steps := []struct {
		name   string
		do     func()
		status int
		body   string
	}{
		{"redis up", func() {}, 200, "ok\n"},
		{"redis stopped", srv.Stop, 503, "not ready\n"},
		{"redis restarted", srv.Restart, 200, "ok\n"},
		{"receiver shut down", func() {
			if err := rc.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
		}, 503, "not ready\n"},
	}
	for _, st := range steps {
		st.do()
		resp, err := hs.Client().Get(hs.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != st.status || string(b) != st.body || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: got %d %q (Cache-Control %q), want %d %q", st.name, resp.StatusCode, b, resp.Header.Get("Cache-Control"), st.status, st.body)
		}
	}
	if !strings.Contains(logs.String(), "redisdedup: ping") || !strings.Contains(logs.String(), "receiver: shut down") {
		t.Errorf("the reasons were not logged:\n%s", logs.String())
	}
}
