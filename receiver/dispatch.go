package receiver

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// dispatcher is the innermost stage: it calls the application's Handler
// with panic recovery and the callback timeout.
type dispatcher struct {
	next    Handler
	timeout time.Duration
}

func (d dispatcher) HandleEvent(ctx context.Context, ev events.Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &stageError{outcome: OutcomePanic, err: fmt.Errorf("receiver: handler panicked: %v", p), stack: debug.Stack()}
		}
	}()
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
