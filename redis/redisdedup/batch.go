package redisdedup

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// The batcher sends the commands of concurrent calls as one pipeline: one
// write and one read for every command queued while the previous pipeline
// was on the wire. Under load that turns two round trips per event, each
// with its own system calls and goroutine wake-ups, into a share of one;
// alone, a command still goes out at once (no waiting for company).
//
// A caller whose context ends stops waiting, but its command may already be
// on the wire, and Redis may run it after the caller gave up (a frozen
// Redis runs it when it thaws). The pipeline's reader still gets the
// answer, so the Store learns what the abandoned command did and undoes a
// reservation nobody will use (see repair.go).
type batcher struct {
	client    redis.UniversalClient
	abandoned func(c *call) // handles the answer of a call whose caller gave up

	mu      sync.Mutex
	queue   []*call
	running bool // a flush goroutine is running; it drains queue until empty
}

// call is one command waiting for its pipeline.
type call struct {
	op    op
	key   string // the full Redis key
	value string // opReserve: the reservation's value; else ARGV[1] of the script
	cmd   *redis.Cmd
	ttlMS int64       // opCommit: the ttl in milliseconds
	until int64       // opReserve: the lease's end, Unix milliseconds
	then  func(error) // opCommit sent by CommitAsync: gets the outcome

	// state moves from pending to answered (by the flusher) or to abandoned
	// (by the caller whose context ended), exactly once.
	state atomic.Int32
	done  chan struct{}
}

// The states of a call.
const (
	pending int32 = iota
	answered
	abandoned
)

// op names what a call does, for the handling of its answer.
type op uint8

const (
	opReserve op = iota + 1
	opCommit
	opRelease
)

// do queues c and waits for its answer or the end of ctx. It reports
// whether c was answered; if not, c belongs to the flusher from then on.
func (b *batcher) do(ctx context.Context, c *call) bool {
	c.done = make(chan struct{})
	b.enqueue(c)
	select {
	case <-c.done:
		return true
	case <-ctx.Done():
		if c.state.CompareAndSwap(pending, abandoned) {
			return false
		}
		<-c.done // answered meanwhile
		return true
	}
}

// send queues c without waiting: the flusher hands its answer to
// abandoned, as for a caller that gave up.
func (b *batcher) send(c *call) {
	c.state.Store(abandoned)
	b.enqueue(c)
}

// enqueue adds c to the next pipeline, starting the flusher if none runs.
func (b *batcher) enqueue(c *call) {
	b.mu.Lock()
	b.queue = append(b.queue, c)
	if !b.running {
		b.running = true
		go b.flush()
	}
	b.mu.Unlock()
}

// flush sends what is queued, one pipeline at a time, until the queue is
// empty. Two slices alternate as queue and batch, so a steady load
// allocates none.
func (b *batcher) flush() {
	var batch []*call
	for {
		// Let the goroutines that are ready run first: on a busy server
		// they are requests about to queue their commands, which then go
		// out in this batch instead of each in its own.
		runtime.Gosched()
		b.mu.Lock()
		batch, b.queue = b.queue, batch[:0]
		if len(batch) == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		b.exec(batch)
		clear(batch)
	}
}

// exec runs batch as one pipeline, then once more with EVAL for the
// scripts Redis did not know (a restarted or failed-over Redis has an empty
// script cache), then hands every call its answer.
func (b *batcher) exec(batch []*call) {
	// Not a caller's context: one caller giving up must not cancel the
	// others' commands. The client's own timeouts bound the pipeline.
	ctx := context.Background()
	_, _ = b.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, c := range batch {
			_ = p.Process(ctx, c.cmd)
		}
		return nil
	})
	var again []*call
	for _, c := range batch {
		if isNoScript(c.cmd.Err()) {
			c.cmd = evalCmd(ctx, c)
			again = append(again, c)
		}
	}
	if len(again) > 0 {
		_, _ = b.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, c := range again {
				_ = p.Process(ctx, c.cmd)
			}
			return nil
		})
	}
	for _, c := range batch {
		if c.state.CompareAndSwap(pending, answered) {
			close(c.done)
		} else {
			b.abandoned(c)
		}
	}
}

// isNoScript reports whether err is Redis's answer to an EVALSHA of a
// script it does not know.
func isNoScript(err error) bool {
	return err != nil && redis.HasErrorPrefix(err, "NOSCRIPT")
}
