package receiver_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// batchFail fails events by their QoD status: BAD is Permanent, GONE is
// ErrGone, FAIL a plain error, BUSY a 429. It fails FAIL only while
// failing is set.
func batchFail(failing *atomic.Bool) func(events.Event) error {
	return func(ev events.Event) error {
		q, _ := ev.(*events.QoSStatusChanged)
		if q == nil {
			return nil
		}
		switch q.Status {
		case "BAD":
			return receiver.Permanent(errors.New("bad"))
		case "GONE":
			return receiver.ErrGone
		case "FAIL":
			if failing.Load() {
				return errors.New("transient")
			}
		case "BUSY":
			if failing.Load() {
				return &receiver.CallbackError{Status: http.StatusTooManyRequests}
			}
		}
		return nil
	}
}

// TestBatch: events of a batch are dispatched in order and judged alone;
// the answer is the most retry-worthy outcome (5xx over 429 over 410 over
// other 4xx over success); dispatch stops at the first 5xx or 429, and the
// sender's retry of the batch runs none of the events twice.
func TestBatch(t *testing.T) {
	var failing atomic.Bool
	h := &seqHandler{fail: batchFail(&failing)}
	rc := newReceiver(t, receiver.Config{Handler: h})
	q := func(id, status string) receivertest.Notification { return qos(id, "s", status) }
	bound := func(id, sub string) receivertest.Notification { return withToken(roaming(id, sub), subToken) }
	tests := []struct {
		name    string
		ns      []receivertest.Notification
		failing bool
		want    int
		ran     []string
	}{
		{"all ok", []receivertest.Notification{q("a1", "AVAILABLE"), q("a2", "UNAVAILABLE")}, false, 204, []string{"a1", "a2"}},
		{"a Permanent element does not stop the batch", []receivertest.Notification{q("b1", "BAD"), q("b2", "AVAILABLE"), q("b3", "AVAILABLE")}, false, 400, []string{"b1", "b2", "b3"}},
		{"410 beats 400", []receivertest.Notification{q("c1", "BAD"), q("c2", "GONE"), q("c3", "AVAILABLE")}, false, 410, []string{"c1", "c2", "c3"}},
		{"an element of another subscription does not stop the batch", []receivertest.Notification{
			bound("s1", "sub-42"), bound("s2", "sub-7"), bound("s3", "sub-42")}, false, 403, []string{"s1", "s3"}},
		{"a bound token refuses elements naming no subscription", []receivertest.Notification{bound("t1", "sub-7"), withToken(q("t2", "GONE"), subToken)}, false, 403, nil},
		{"500 stops the batch and wins", []receivertest.Notification{q("d1", "AVAILABLE"), q("d2", "BAD"), q("d3", "FAIL"), q("d4", "AVAILABLE")}, true, 500, []string{"d1", "d2", "d3"}},
		{"the retry runs nothing twice", []receivertest.Notification{q("d1", "AVAILABLE"), q("d2", "BAD"), q("d3", "FAIL"), q("d4", "AVAILABLE")}, false, 400, []string{"d2", "d3", "d4"}},
		{"429 stops the batch", []receivertest.Notification{q("e1", "AVAILABLE"), q("e2", "BUSY"), q("e3", "AVAILABLE")}, true, 429, []string{"e1", "e2"}},
		{"its retry", []receivertest.Notification{q("e1", "AVAILABLE"), q("e2", "BUSY"), q("e3", "AVAILABLE")}, false, 204, []string{"e2", "e3"}},
		{"5xx beats 429 and 410", []receivertest.Notification{q("f1", "GONE"), q("f2", "FAIL")}, true, 500, []string{"f1", "f2"}},
		{"a copy inside the batch", []receivertest.Notification{q("g1", "AVAILABLE"), q("g1", "AVAILABLE")}, false, 204, []string{"g1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failing.Store(tt.failing)
			h.take()
			r := receivertest.NewRequest("/qod", tt.ns...)
			if ct := r.Header.Get("Content-Type"); ct != "application/cloudevents-batch+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			w := serve(rc, r)
			if w.Code != tt.want {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if got := h.take(); !slices.Equal(got, tt.ran) {
				t.Errorf("Handler ran %v, want %v", got, tt.ran)
			}
			if tt.want >= 500 || tt.want == 429 {
				if w.Header().Get("Retry-After") == "" && tt.want != 500 {
					t.Errorf("%d without Retry-After", tt.want)
				}
			}
		})
	}
}

// TestBatchWholeRefusals: a batch that does not decode is refused whole,
// before any element runs; an empty batch is a success.
func TestBatchWholeRefusals(t *testing.T) {
	h := &seqHandler{}
	rc := newReceiver(t, receiver.Config{Handler: h})
	_, good, err := receivertest.Encode(qos("w1", "s", "AVAILABLE"))
	if err != nil {
		t.Fatal(err)
	}
	_, good2, err := receivertest.Encode(qos("w2", "s", "AVAILABLE"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		want       int
		ran        []string // the valid elements, dispatched all the same
		message    string   // in the error body
	}{
		{"empty batch", "[]", 204, nil, ""},
		{"one bad element", "[" + string(good) + `,{"id":"x"}]`, 400, []string{"w1"}, "batch element 1"},
		{"not an array", string(good), 400, nil, "a batch is a JSON array"},
		{"a number element", "[7," + string(good2) + "]", 400, []string{"w2"}, "batch element 0"},
		{"only bad elements", `[7,{"id":"x"}]`, 400, nil, "batch element 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rawRequest("application/cloudevents-batch+json", tt.body)
			r.Header.Set("x-correlator", "batch-1")
			w := serve(rc, r)
			if w.Code != tt.want {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if w.Header().Get("x-correlator") != "batch-1" {
				t.Errorf("x-correlator not echoed")
			}
			if got := h.take(); !slices.Equal(got, tt.ran) {
				t.Errorf("Handler ran %v, want %v", got, tt.ran)
			}
			if !strings.Contains(w.Body.String(), tt.message) {
				t.Errorf("body %s does not say %q", w.Body, tt.message)
			}
		})
	}
}

// TestBatchLogsIndex: each refused element is logged with its index in the
// batch.
func TestBatchLogsIndex(t *testing.T) {
	var failing atomic.Bool
	logs := newLogCapture()
	rc := newReceiver(t, receiver.Config{Logger: logs.logger(), Handler: &seqHandler{fail: batchFail(&failing)}})
	serve(rc, receivertest.NewRequest("/qod", qos("i0", "s", "AVAILABLE"), qos("i1", "s", "BAD"), qos("i2", "s", "GONE")))
	var got []string
	for _, r := range logs.take() {
		got = append(got, r.Attrs["id"]+"@"+r.Attrs["index"]+"="+r.Attrs["outcome"])
	}
	if want := "i0@0=accepted i1@1=rejected i2@2=gone"; strings.Join(got, " ") != want {
		t.Errorf("records %v, want %s", got, want)
	}
}
