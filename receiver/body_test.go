package receiver_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// The body reader: under the cap, whole, and never trusting Content-Length.

// stallingBody signals its first Read and blocks it until released, then
// reports the body cut short.
type stallingBody struct {
	reading chan struct{}
	release chan struct{}
}

func (b *stallingBody) Read([]byte) (int, error) {
	select {
	case <-b.reading:
	default:
		close(b.reading)
	}
	<-b.release
	return 0, io.ErrUnexpectedEOF
}

func (b *stallingBody) Close() error { return nil }

// TestBodyNotAllocatedUpFront: a request that announces a 1 MiB body and
// sends nothing does not make the receiver allocate 1 MiB before a byte
// arrives. Measured as a property: the bytes allocated until the first Read
// of the body, far below the announced size.
func TestBodyNotAllocatedUpFront(t *testing.T) {
	const announced = 1 << 20
	var calls atomic.Int32
	rc := countingReceiver(t, &calls, receiver.Config{MaxBodyBytes: 4 << 20})
	body := &stallingBody{reading: make(chan struct{}), release: make(chan struct{})}
	r := httptest.NewRequest(http.MethodPost, "/qod", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/json")
	r.Body, r.ContentLength = body, announced

	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- serve(rc, r) }()
	waitChan(t, body.reading, "the first Read of the body")
	runtime.ReadMemStats(&during)
	close(body.release)
	w := waitChan(t, done, "the answer")

	if grown := during.TotalAlloc - before.TotalAlloc; grown >= announced/4 {
		t.Errorf("%d bytes allocated before the first byte of a body announced as %d", grown, announced)
	}
	if w.Code != 400 || calls.Load() != 0 {
		t.Errorf("a body cut short: status %d, %d Handler calls; want 400 and none", w.Code, calls.Load())
	}
}

// TestBodyReaders: bodies that arrive in odd pieces are read whole; a read
// error is a 400, never a partial event.
func TestBodyReaders(t *testing.T) {
	_, body, err := receivertest.Encode(qos("", "s", "AVAILABLE"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		reader func(io.Reader) io.Reader
		length int64 // the announced Content-Length: the body's, or -1 (chunked)
		want   int
	}{
		{"one byte at a time", iotest.OneByteReader, int64(len(body)), 204},
		{"one byte at a time, chunked", iotest.OneByteReader, -1, 204},
		{"half reads", iotest.HalfReader, int64(len(body)), 204},
		{"last bytes with EOF", iotest.DataErrReader, int64(len(body)), 204},
		{"last bytes with EOF, chunked", iotest.DataErrReader, -1, 204},
		{"timeout mid-body", iotest.TimeoutReader, int64(len(body)), 400},
		{"error mid-body", func(r io.Reader) io.Reader {
			return io.MultiReader(io.LimitReader(r, 10), iotest.ErrReader(errors.New("connection reset")))
		}, int64(len(body)), 400},
		{"shorter than announced", func(r io.Reader) io.Reader { return io.LimitReader(r, 10) }, -1, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			rc := countingReceiver(t, &calls, receiver.Config{})
			r := receivertest.NewRequest("/qod", qos("", "s", "AVAILABLE"))
			r.Body = io.NopCloser(tt.reader(strings.NewReader(string(body))))
			r.ContentLength = tt.length
			w := serve(rc, r)
			if w.Code != tt.want {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if ran := calls.Load() == 1; ran != (tt.want == 204) {
				t.Errorf("%d Handler calls with status %d", calls.Load(), w.Code)
			}
		})
	}
}

// TestBodyCap: the cap holds whatever Content-Length says. A body longer
// than its Content-Length (middleware that replaced r.Body, decompression
// say, and left ContentLength as it was) is read whole under the cap, not
// cut short into a 400 and a lost event; over the cap it is a 413.
func TestBodyCap(t *testing.T) {
	const limit = 4096
	n := qos("inflated", "s", "AVAILABLE")
	_, small, err := receivertest.Encode(n)
	if err != nil {
		t.Fatal(err)
	}
	pad := func(size int) string { // small, padded with spaces to size bytes
		return string(small) + strings.Repeat(" ", size-len(small))
	}
	tests := []struct {
		name   string
		body   string
		length int64
		want   int
	}{
		{"as announced", string(small), int64(len(small)), 204},
		{"longer than announced, within the cap", string(small), 2, 204},
		{"one byte over the announced length", string(small) + " ", int64(len(small)), 204},
		{"announced zero", string(small), 0, 204},
		{"exactly the cap", pad(limit), 2, 204},
		{"one byte over the cap, announced short", pad(limit + 1), 2, 413},
		{"far over the cap, announced short", pad(10 * limit), 2, 413},
		{"over the cap, chunked", pad(limit + 1), -1, 413},
		{"exactly the cap, chunked", pad(limit), -1, 204},
		{"announced over the cap", string(small), limit + 1, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			rc := countingReceiver(t, &calls, receiver.Config{MaxBodyBytes: limit})
			// Middleware of the application's: the body it passes on is
			// not the one r.ContentLength was read from.
			inflate := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader(tt.body))
				r.ContentLength = tt.length
				rc.ServeHTTP(w, r)
			})
			w := serve(inflate, receivertest.NewRequest("/qod", n))
			if w.Code != tt.want {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if ran := calls.Load() == 1; ran != (tt.want == 204) {
				t.Errorf("%d Handler calls with status %d", calls.Load(), w.Code)
			}
		})
	}
}

// TestBodyCapOverHTTP: through a real server, a body over the cap gets 413
// whether its length is announced or chunked.
func TestBodyCapOverHTTP(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(countingReceiver(t, &calls, receiver.Config{MaxBodyBytes: 1024}))
	defer srv.Close()
	big := qos("big", strings.Repeat("s", 4096), "AVAILABLE")
	for _, chunked := range []bool{false, true} {
		req := clientRequest(t, srv.URL, big)
		if chunked {
			req.Body = io.NopCloser(req.Body) // hides the length: sent chunked
			req.ContentLength = -1
		}
		resp, body := do(t, nil, req)
		if resp == nil {
			t.FailNow()
		}
		if resp.StatusCode != 413 || decodeErrorInfo(t, body).Code != "PAYLOAD_TOO_LARGE" {
			t.Errorf("chunked=%v: status %d %s, want 413 PAYLOAD_TOO_LARGE", chunked, resp.StatusCode, body)
		}
	}
	if calls.Load() != 0 {
		t.Errorf("%d Handler calls", calls.Load())
	}
}
