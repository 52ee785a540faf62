package receiver_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestShutdownWaitsForRequests: through a real server, Shutdown waits for
// the request in progress (a context that ends first gets its error), new
// requests get 503 with Retry-After without reaching the Handler, and the
// request in progress is answered normally.
func TestShutdownWaitsForRequests(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	rc := newReceiver(t, receiver.Config{RetryAfter: 5 * time.Second, Handler: receiver.HandlerFunc(func(context.Context, events.Event) error {
		if calls.Add(1) == 1 {
			close(started)
			<-release
		}
		return nil
	})})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	inProgress := make(chan int)
	go func() {
		resp, _ := do(t, nil, clientRequest(t, srv.URL, qos("slow", "s", "AVAILABLE")))
		if resp == nil {
			inProgress <- 0
			return
		}
		inProgress <- resp.StatusCode
	}()
	waitChan(t, started, "the request in progress")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rc.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown with a request in progress and an ended context = %v, want context.Canceled", err)
	}
	resp, body := send(t, srv.URL, qos("new", "s", "AVAILABLE"))
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "5" || decodeErrorInfo(t, body).Code != "UNAVAILABLE" {
		t.Errorf("new request: %d Retry-After %q %s, want 503 UNAVAILABLE with Retry-After 5", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}

	shutdown := make(chan error)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shutdown <- rc.Shutdown(ctx)
	}()
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned %v with a request in progress", err)
	default:
	}
	close(release)
	if code := waitChan(t, inProgress, "the answer in progress"); code != 204 {
		t.Errorf("the request in progress: status %d, want 204", code)
	}
	if err := waitChan(t, shutdown, "Shutdown"); err != nil {
		t.Errorf("Shutdown = %v, want nil once the request is done", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d Handler calls, want 1", calls.Load())
	}
}

// TestShutdownConcurrentCalls: Shutdown is safe to call from several
// goroutines at once, and again afterwards.
func TestShutdownConcurrentCalls(t *testing.T) {
	rc := newReceiver(t, receiver.Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() { errs <- rc.Shutdown(context.Background()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Shutdown = %v", err)
		}
	}
	if err := rc.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown again = %v", err)
	}
	if w := serve(rc, receivertest.NewRequest("/qod", qos("", "s", "AVAILABLE"))); w.Code != 503 {
		t.Errorf("status %d, want 503", w.Code)
	}
}

// TestShutdownWithStalledBody: a request still sending its body when the
// receiver's Shutdown gives up, and the async queue behind it has shut
// down, is answered 503, never acknowledged: its event would be lost.
func TestShutdownWithStalledBody(t *testing.T) {
	var rec receivertest.Recorder
	q, err := async.New(async.Config{Handler: &rec})
	if err != nil {
		t.Fatal(err)
	}
	// The Verifier tells when the receiver has taken the request in: it
	// verifies the token before it reads the body.
	reading := make(chan struct{})
	tokens := tokenSet(t)
	rc := newReceiver(t, receiver.Config{Handler: q, SuccessStatus: http.StatusAccepted,
		Verifier: auth.VerifierFunc(func(r *http.Request) (auth.Principal, error) {
			close(reading)
			return tokens.Verify(r)
		})})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	_, body, err := receivertest.Encode(qos("late", "s", "AVAILABLE"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /qod HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		token, len(body), body[:10])
	waitChan(t, reading, "the server reading the request")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rc.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("receiver Shutdown = %v, want context.Canceled (a request is in progress)", err)
	}
	if err := q.Shutdown(context.Background()); err != nil {
		t.Fatalf("queue Shutdown = %v", err)
	}
	if _, err := conn.Write(body[10:]); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("request finished after Shutdown: status %d, want 503 with Retry-After (never acknowledged)", resp.StatusCode)
	}
	if rec.Len() != 0 {
		t.Errorf("%d events processed after the queue shut down", rec.Len())
	}
}

// TestShutdownUnderLoad: while clients post distinct events to a real
// server, it shuts down (http.Server, then the receiver, then the queue if
// any). Every event that got a 2xx ran exactly once; none ran twice.
func TestShutdownUnderLoad(t *testing.T) {
	for _, useQueue := range []bool{false, true} {
		t.Run(fmt.Sprintf("async=%v", useQueue), func(t *testing.T) {
			const clients, warmup = 8, 200
			var mu sync.Mutex
			seen := map[string]int{}
			ran := make(chan struct{}, warmup)
			var handler receiver.Handler = receiver.HandlerFunc(func(_ context.Context, ev events.Event) error {
				mu.Lock()
				seen[ev.Meta().ID]++
				mu.Unlock()
				select {
				case ran <- struct{}{}:
				default:
				}
				return nil
			})
			var q *async.Queue
			if useQueue {
				var err error
				if q, err = async.New(async.Config{Handler: handler, Workers: 2, QueueSize: 64}); err != nil {
					t.Fatal(err)
				}
				handler = q
			}
			rc := newReceiver(t, receiver.Config{Handler: handler})
			srv := httptest.NewServer(rc)
			var accepted sync.Map
			var wg sync.WaitGroup
			stop := make(chan struct{})
			for c := range clients {
				wg.Go(func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						id := fmt.Sprintf("load-%d-%d", c, i)
						resp, err := http.DefaultClient.Do(clientRequest(t, srv.URL, qos(id, "s", "AVAILABLE")))
						if err != nil {
							return // the listener is closed
						}
						drainClose(resp)
						if resp.StatusCode/100 == 2 {
							accepted.Store(id, true)
						}
					}
				})
			}
			for range warmup { // load is flowing
				waitChan(t, ran, "events under load")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Config.Shutdown(ctx); err != nil {
				t.Fatalf("http.Server.Shutdown: %v", err)
			}
			if err := rc.Shutdown(ctx); err != nil {
				t.Fatalf("Receiver.Shutdown: %v", err)
			}
			if q != nil {
				if err := q.Shutdown(ctx); err != nil {
					t.Fatalf("Queue.Shutdown: %v", err)
				}
			}
			close(stop)
			wg.Wait()
			srv.Close()
			mu.Lock()
			defer mu.Unlock()
			n := 0
			accepted.Range(func(k, _ any) bool {
				n++
				if c := seen[k.(string)]; c != 1 {
					t.Errorf("%s got 2xx and ran %d times", k, c)
				}
				return true
			})
			if n < warmup {
				t.Errorf("%d events accepted, want at least %d", n, warmup)
			}
			for id, c := range seen {
				if c != 1 {
					t.Errorf("%s ran %d times", id, c)
				}
			}
		})
	}
}

func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
