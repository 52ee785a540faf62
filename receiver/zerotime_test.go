package receiver_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// An explicit time is judged as a time: the zero instant in any zone, and
// a NaC hybrid dated only by its legacy event.eventTime, are too old for
// the replay window and older than anything the ordering guard delivered.
// They used to count as "no time" and pass both (reliability review,
// finding 16).

// rawQoD is a QoD 1.0 structured event with the main token; extra is more
// members ("" for none).
func rawQoD(id, session, extra string) receivertest.Notification {
	body := `{"id":"` + id + `","source":"/qod","type":"` + qodTypeV1 + `","specversion":"1.0"` + extra +
		`,"data":{"sessionId":"` + session + `","qosStatus":"AVAILABLE"}}`
	return receivertest.Notification{Raw: []byte(body), Token: token}
}

var zeroTimes = []string{"0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00", "0001-01-01T05:30:00+05:30", "0000-12-31T19:00:00-05:00", "0001-01-01t00:00:00z"}

// TestReplayWindowJudgesExplicitTimes: with MaxEventAge set, each explicit
// zero instant and a hybrid whose only time is a two-hour-old
// event.eventTime answer 400 (too_old) without a callback; the same events
// without any time still pass.
func TestReplayWindowJudgesExplicitTimes(t *testing.T) {
	var calls atomic.Int32
	rc := countingReceiver(t, &calls, receiver.Config{MaxEventAge: time.Hour, MaxFutureSkew: 5 * time.Minute})
	old := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)
	hybrid := `,"event":{"eventType":"QOS_STATUS_CHANGED","eventTime":"` + old + `"}`
	tests := []struct {
		name  string
		extra string
		want  int
	}{
		{"no time", "", 204},
		{"hybrid without eventTime", `,"event":{"eventType":"QOS_STATUS_CHANGED"}`, 204},
		{"hybrid dated two hours ago by event.eventTime", hybrid, 400},
		{"hybrid with a fresh time and an old event.eventTime", `,"time":"` + time.Now().UTC().Format(time.RFC3339) + `"` + hybrid, 204},
	}
	for _, z := range zeroTimes {
		tests = append(tests, struct {
			name  string
			extra string
			want  int
		}{"time " + z, `,"time":"` + z + `"`, 400})
		tests = append(tests, struct {
			name  string
			extra string
			want  int
		}{"hybrid event.eventTime " + z, `,"event":{"eventType":"QOS_STATUS_CHANGED","eventTime":"` + z + `"}`, 400})
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			w := serve(rc, receivertest.NewRequest("/qod", rawQoD(fmt.Sprint("zt", i), "s", tt.extra)))
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			if ran := calls.Load() != before; ran != (tt.want == 204) {
				t.Errorf("Handler ran = %v for status %d", ran, tt.want)
			}
		})
	}
	// In binary mode too: an explicit ce-time of the zero instant.
	n := qos("zt-binary", "s", "AVAILABLE")
	n.Mode = events.ModeBinary
	r := receivertest.NewRequest("/qod", n)
	r.Header.Set("Ce-Time", "0001-01-01T05:30:00+05:30")
	if w := serve(rc, r); w.Code != 400 {
		t.Errorf("binary ce-time zero instant: status %d, want 400", w.Code)
	}
}

// TestOrderingJudgesExplicitTimes: without a replay window, an event dated
// the zero instant, after a current one for its session, is older than it:
// flagged stale (OrderingFlag) or dropped (OrderingDrop), never delivered
// as current.
func TestOrderingJudgesExplicitTimes(t *testing.T) {
	now := time.Now().UTC().Format(time.RFC3339)
	for _, mode := range []receiver.Ordering{receiver.OrderingFlag, receiver.OrderingDrop} {
		for _, z := range zeroTimes {
			t.Run(fmt.Sprint(mode, " ", z), func(t *testing.T) {
				var log staleLog
				rc := newReceiver(t, receiver.Config{Ordering: mode, Handler: &log})
				for _, n := range []receivertest.Notification{
					rawQoD("ord-1", "S", `,"time":"`+now+`"`),
					rawQoD("ord-2", "S", `,"time":"`+z+`"`),
				} {
					if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 {
						t.Fatalf("status %d, want 204", w.Code)
					}
				}
				want := "S/AVAILABLE/stale=false S/AVAILABLE/stale=true"
				if mode == receiver.OrderingDrop {
					want = "S/AVAILABLE/stale=false"
				}
				if got := log.String(); got != want {
					t.Errorf("delivered %s, want %s", got, want)
				}
			})
		}
	}
}
