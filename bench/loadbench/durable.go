package main

// The durable configuration: the receiver deduplicating on Redis
// (redisdedup) in front of the Redis Streams queue (redisqueue), whose
// workers run in the same server process, so that the server's CPU per
// request includes consuming the entry. Its Redis is started by the driver,
// pinned to the client's core (a two-core machine has no third), with AOF
// and appendfsync everysec, Redis's usual durable setting.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/camarahooks/camarahooks/redis/redisqueue"
)

// kindDurable is the durable configuration's server kind. It is not in the
// default -kinds, since it needs redis-server.
const kindDurable = "camarahooks-durable"

// durableHandler is the serve child's handler of kindDurable.
func durableHandler(token, addr string) (http.Handler, error) {
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2}) // as examples/backend configures it
	store, err := redisdedup.New(redisdedup.Config{Client: rdb})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	q, err := redisqueue.New(ctx, redisqueue.Config{Client: rdb, Store: store,
		// Room for every request of a run: the measurement refuses a 429.
		MaxLen:  1 << 30,
		Workers: 32,
		Handler: receiver.Handlers{QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error { return nil }}})
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "loadbench", Token: auth.Token(token)}}})
	if err != nil {
		return nil, err
	}
	// The queue deduplicates where it writes: the receiver's check is off.
	return receiver.New(receiver.Config{Verifier: tokens, MaxBodyBytes: maxBody, Handler: q,
		SuccessStatus: http.StatusAccepted, Dedup: receiver.DedupConfig{Disabled: true}})
}

// reportDurable waits for the stream to drain, then prints Redis's memory per
// million events: what every processed event leaves (its marker and its
// dedup key, each kept for 24h), and the consumption's speed and CPU once
// the load is over.
func (r *redisProc) reportDurable(w io.Writer, srv *server) error {
	ctx := context.Background()
	start := time.Now()
	first, err := r.client.XLen(ctx, redisqueue.DefaultStream).Result()
	if err != nil {
		return err
	}
	cpu0, err := srv.cpuTime()
	if err != nil {
		return err
	}
	var backlog int64
	for deadline := start.Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		n, err := r.client.XLen(ctx, redisqueue.DefaultStream).Result()
		if err != nil {
			return err
		}
		if backlog = n; n == 0 || time.Now().After(deadline) {
			break
		}
	}
	cpu1, err := srv.cpuTime()
	if err != nil {
		return err
	}
	if drained := first - backlog; drained > 0 {
		// The load is over: the server's core does nothing but consume.
		fmt.Fprintf(w, "\n%s: the workers processed the %d entries left when the load stopped at %.0f events/s, %s of server CPU each (the answers above outran them)\n",
			kindDurable, drained, float64(drained)/time.Since(start).Seconds(), fmtDur(float64((cpu1-cpu0)/time.Duration(drained))))
	}
	used, err := r.usedMemory()
	if err != nil {
		return err
	}
	info, err := r.client.XInfoStream(ctx, redisqueue.DefaultStream).Result()
	if err != nil {
		return err
	}
	events := max(info.EntriesAdded-backlog, 1)
	fmt.Fprintf(w, "\n%s: over the whole run, %s of server CPU per event written and processed (the answers, the workers, the warm-ups)\n",
		kindDurable, fmtDur(float64(cpu1/time.Duration(events))))
	fmt.Fprintf(w, "\n%s: Redis (AOF everysec, pinned with the client) used_memory grew %.1f MiB for %d events (backlog left %d): %.0f MiB per million events processed, kept for the TTL (24h)\n",
		kindDurable, mib(used-r.base), events, backlog, mib(used-r.base)/float64(events)*1e6)
	return nil
}
