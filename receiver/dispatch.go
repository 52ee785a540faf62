package receiver

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/monotonic"
)

// dispatcher is the innermost stage: it calls the application's Handler
// with panic recovery and the callback timeout.
type dispatcher struct {
	next    Handler
	timeout time.Duration
	timed   bool // Observe is set: record the call's duration for Observation.Callback
}

// callbackTimeKey is the context key of the *time.Duration that receives
// the application Handler's duration for the event being delivered: the
// dispatcher is at the bottom of the chain, and the request's one
// allocation carries the figure up to answer.
type callbackTimeKey struct{}

func (d dispatcher) HandleEvent(ctx context.Context, ev events.Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &stageError{outcome: OutcomePanic, err: fmt.Errorf("receiver: handler panicked: %v", p), stack: debug.Stack()}
		}
	}()
	if d.timed {
		if took, ok := ctx.Value(callbackTimeKey{}).(*time.Duration); ok {
			start := monotonic.Now()
			defer func() { *took = monotonic.Now() - start }()
		}
	}
	if d.timeout <= 0 {
		return d.next.HandleEvent(ctx, ev)
	}
	cctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	err = d.next.HandleEvent(cctx, ev)
	if err != nil && errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		// Failed after its own deadline: a timeout, whatever error it
		// chose to return.
		return &stageError{outcome: OutcomeTimeout, err: err}
	}
	return err
}
