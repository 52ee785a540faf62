package sim

import (
	"context"
	"errors"
	"sync"

	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// queueSize bounds the notifications waiting for one subscription or session.
const queueSize = 64

// errQueueFull is reported when a subscription's queue is full.
var errQueueFull = errors.New("sim: notification queue full")

// errEnded is reported for a notification queued to an ended stream.
var errEnded = errors.New("sim: subscription or session already ended")

// job is one notification to deliver on a stream.
type job struct {
	n      receivertest.Notification
	counts bool // counts towards subscriptionMaxEvents
	reply  chan outcome
}

type outcome struct {
	d   Delivery
	err error
}

// stream delivers the notifications of one subscription or session in
// order, from one goroutine, to one sink.
type stream struct {
	id    string
	sink  string
	token string

	jobs  chan job
	final chan job // the last notification (subscription-ended, UNAVAILABLE)

	mu        sync.Mutex // guards the fields below
	ended     bool
	timers    []func() bool
	maxEvents int
	sent      int
	onMax     func() job // the final notification when maxEvents is reached
}

func newStream(id, sink, token string) *stream {
	return &stream{id: id, sink: sink, token: token, jobs: make(chan job, queueSize), final: make(chan job, 1)}
}

// enqueue queues n; it fails when the stream has ended or its queue is full.
func (st *stream) enqueue(j job) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended {
		return errEnded
	}
	j.n.Token = st.token
	select {
	case st.jobs <- j:
		return nil
	default:
		return errQueueFull
	}
}

// end marks the stream ended, stops its timers and queues last as its final
// notification (none when last.n is zero and has no Type). It reports
// whether this call ended it.
func (st *stream) end(last *job) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended {
		return false
	}
	st.ended = true
	for _, stop := range st.timers {
		stop()
	}
	st.timers = nil
	if last != nil {
		last.n.Token = st.token
		st.final <- *last
	} else {
		close(st.final)
	}
	return true
}

// addTimer records a timer's stop function so end and Close stop it. If the
// stream already ended, the timer is stopped at once.
func (st *stream) addTimer(stop func() bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended {
		stop()
		return
	}
	st.timers = append(st.timers, stop)
}

// run delivers the stream's notifications until the final one, a 410 or
// ctx is done. onGone runs when the sink answered 410; done when run
// returns.
func (st *stream) run(ctx context.Context, s *Sender, onGone, done func()) {
	defer done()
	// Whatever ends the stream, nothing queued is left waiting for a reply
	// that would never come: end it (so nothing more is queued), then
	// answer what is still in the queue.
	defer func() {
		st.end(nil)
		for {
			select {
			case j := <-st.jobs:
				if j.reply != nil {
					j.reply <- outcome{Delivery{Sink: st.sink}, errEnded}
				}
			default:
				return
			}
		}
	}()
	deliver := func(j job) error {
		d, err := s.Send(ctx, st.sink, j.n)
		if j.reply != nil {
			j.reply <- outcome{d, err}
		}
		return err
	}
	for {
		var j job
		select {
		case j = <-st.jobs:
		default:
			select {
			case j = <-st.jobs:
			case last, ok := <-st.final:
				if ok {
					_ = deliver(last)
				}
				return
			case <-ctx.Done():
				return
			}
		}
		st.mu.Lock()
		skip := j.counts && st.maxEvents > 0 && st.sent >= st.maxEvents
		st.mu.Unlock()
		if skip { // queued before subscriptionMaxEvents was reached: never sent
			if j.reply != nil {
				j.reply <- outcome{Delivery{Sink: st.sink}, errEnded}
			}
			continue
		}
		err := deliver(j)
		if errors.Is(err, ErrGone) {
			st.end(nil)
			onGone()
			return
		}
		if err == nil && j.counts {
			st.mu.Lock()
			st.sent++
			reached := st.maxEvents > 0 && st.sent >= st.maxEvents && st.onMax != nil
			st.mu.Unlock()
			if reached {
				last := st.onMax()
				st.end(&last)
			}
		}
	}
}
