package deploy_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/examples/deploy"
)

// TestServeShutdown: once its context ends, Serve lets the request in
// progress finish, then calls each shutdown function once, in order, and
// returns their errors.
func TestServeShutdown(t *testing.T) {
	ln, err := deploy.Listen("127.0.0.1:0", 4)
	if err != nil {
		t.Fatal(err)
	}
	inside, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(inside)
		<-release
		w.WriteHeader(http.StatusNoContent)
	})
	errLate := errors.New("queue not drained")
	var calls []string
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- deploy.Serve(ctx, ln, nil, h, slog.New(slog.DiscardHandler),
			func(context.Context) error { calls = append(calls, "receiver"); return nil },
			func(context.Context) error { calls = append(calls, "queue"); return errLate })
	}()
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			answered <- 0
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-inside
	cancel()
	close(release)
	select {
	case status := <-answered:
		if status != http.StatusNoContent {
			t.Errorf("the request in progress got %d, want 204", status)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request in progress was not answered")
	}
	select {
	case err := <-served:
		if !errors.Is(err, errLate) {
			t.Errorf("Serve = %v, want the shutdown function's error", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if len(calls) != 2 || calls[0] != "receiver" || calls[1] != "queue" {
		t.Errorf("shutdown functions called %v, want receiver then queue", calls)
	}
}
