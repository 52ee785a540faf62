package redisdedup

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// The repairer finishes, in the background, what a failed or abandoned
// command left undone, so that a Redis outage or freeze never costs a
// second callback or a blocked event:
//
//   - a commit that failed is retried until it lands, so the key becomes
//     done as soon as Redis answers again; meanwhile this Store's Reserve of
//     the key answers Done;
//   - a reservation that may have been made by a Reserve whose caller got
//     no answer (timeout, freeze) is deleted by its exact value, so it does
//     not refuse the sender's retries as InFlight for the whole lease.
//
// One goroutine runs while there is work and exits when there is none.
// Attempts start 10ms apart and back off to maxRepairInterval.
type repairer struct {
	client redis.UniversalClient
	owner  string

	mu      sync.Mutex
	commits map[string]commitTask // by Redis key
	ghosts  map[string]ghostTask  // by reservation value
	running bool
	nCommit atomic.Int32 // len(commits), read without the lock on Reserve's path
}

// maxRepairs bounds the tasks held; a failure beyond it is only reported
// to the caller. maxRepairInterval bounds the time between attempts.
const (
	maxRepairs        = 100_000
	maxRepairInterval = 250 * time.Millisecond
	minRepairInterval = 10 * time.Millisecond
)

type commitTask struct {
	ttlMS int64
	until time.Time // after this, a done record would have expired anyway
}

type ghostTask struct {
	key   string
	until time.Time // the lease's end: after it, Redis has dropped the reservation
	known bool      // Redis answered that the reservation was made
}

// committing reports whether a commit of key is waiting to be retried.
func (r *repairer) committing(key string) bool {
	if r.nCommit.Load() == 0 {
		return false
	}
	r.mu.Lock()
	_, ok := r.commits[key]
	r.mu.Unlock()
	return ok
}

// commit queues the retry of a failed commit. It reports false if the
// queue is full.
func (r *repairer) commit(c *call) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.commits == nil {
		r.commits = map[string]commitTask{}
	}
	if _, ok := r.commits[c.key]; !ok && len(r.commits)+len(r.ghosts) >= maxRepairs {
		return false
	}
	r.commits[c.key] = commitTask{ttlMS: c.ttlMS, until: time.Now().Add(time.Duration(c.ttlMS) * time.Millisecond)}
	r.nCommit.Store(int32(len(r.commits)))
	r.start()
	return true
}

// ghost queues the deletion of the reservation c made (known) or may have
// made. A command that failed to dial was never sent and left nothing.
func (r *repairer) ghost(c *call, known bool) {
	var op *net.OpError
	if err := c.cmd.Err(); err != nil && errors.As(err, &op) && op.Op == "dial" {
		return
	}
	until := time.UnixMilli(c.until)
	if !time.Now().Before(until) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ghosts == nil {
		r.ghosts = map[string]ghostTask{}
	}
	if len(r.commits)+len(r.ghosts) >= maxRepairs {
		return
	}
	r.ghosts[c.value] = ghostTask{key: c.key, until: until, known: known}
	r.start()
}

// start starts the repair goroutine if none runs. r.mu is held.
func (r *repairer) start() {
	if !r.running {
		r.running = true
		go r.run()
	}
}

// run makes attempts until no task is left, waiting between attempts that
// leave some.
func (r *repairer) run() {
	wait := minRepairInterval
	for {
		commits, ghosts := r.snapshot()
		if len(commits) == 0 && len(ghosts) == 0 {
			return
		}
		if !r.attempt(commits, ghosts) {
			time.Sleep(wait) // a retry interval, not a synchronisation
			wait = min(2*wait, maxRepairInterval)
		}
	}
}

// snapshot drops expired tasks and returns copies of the others; with
// none left it marks the goroutine stopped.
func (r *repairer) snapshot() (map[string]commitTask, map[string]ghostTask) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	commits := live(r.commits, now, func(t commitTask) time.Time { return t.until })
	ghosts := live(r.ghosts, now, func(t ghostTask) time.Time { return t.until })
	r.nCommit.Store(int32(len(r.commits)))
	if len(commits) == 0 && len(ghosts) == 0 {
		r.running = false
	}
	return commits, ghosts
}

// live deletes from m the tasks whose until has passed and returns a copy
// of the others.
func live[V any](m map[string]V, now time.Time, until func(V) time.Time) map[string]V {
	out := make(map[string]V, len(m))
	for k, t := range m {
		if now.After(until(t)) {
			delete(m, k)
			continue
		}
		out[k] = t
	}
	return out
}

// attempt sends every task once, as one pipeline, and forgets those that
// are settled. It reports whether none is left.
func (r *repairer) attempt(commits map[string]commitTask, ghosts map[string]ghostTask) bool {
	ctx := context.Background()
	type sent struct {
		cmd   *redis.Cmd
		key   string // commits
		value string // ghosts
	}
	var cmds []sent
	for k, t := range commits {
		cmds = append(cmds, sent{cmd: scriptCmd(ctx, commitScript, k, r.owner, t.ttlMS), key: k})
	}
	for v, t := range ghosts {
		cmds = append(cmds, sent{cmd: scriptCmd(ctx, releaseScript, t.key, v, nil), value: v})
	}
	run := func(cmds []sent) {
		_, _ = r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, c := range cmds {
				_ = p.Process(ctx, c.cmd)
			}
			return nil
		})
	}
	run(cmds)
	var again []sent
	for i, c := range cmds {
		if isNoScript(c.cmd.Err()) {
			sc := commitScript
			if c.value != "" {
				sc = releaseScript
			}
			cmds[i].cmd = redis.NewCmd(ctx, append([]any{"eval", sc.src}, c.cmd.Args()[2:]...)...)
			again = append(again, cmds[i])
		}
	}
	if len(again) > 0 {
		run(again)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range cmds {
		n, err := c.cmd.Int()
		switch {
		case errors.Is(err, redis.ErrClosed):
			// The application closed the client: nothing can land any more.
			clear(r.commits)
			clear(r.ghosts)
			r.nCommit.Store(0)
			return true
		case err != nil:
		case c.key != "":
			// Done, already done, or another holder's reservation (the
			// lease had expired): settled either way.
			delete(r.commits, c.key)
		case n == 1 || ghosts[c.value].known:
			// Deleted, or known to be gone. A reservation that may have
			// been made and is not found may still be on its way (Redis
			// runs the commands of other connections in any order), so
			// its task stays until it is found or its lease ends.
			delete(r.ghosts, c.value)
		}
	}
	r.nCommit.Store(int32(len(r.commits)))
	return len(r.commits) == 0 && len(r.ghosts) == 0
}
