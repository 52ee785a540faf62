// Package redisqueue is a durable queue on Redis Streams for a receiver:
// a [receiver.Handler] that answers once the event is written to a stream,
// and workers on every replica that read the stream in one consumer group
// and call the application's Handler.
//
//	q, err := redisqueue.New(ctx, redisqueue.Config{Client: rdb, Handler: handlers, Store: store})
//	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: q,
//		SuccessStatus: http.StatusAccepted, Dedup: receiver.DedupConfig{Disabled: true}})
//	...
//	srv.Shutdown(ctx); rc.Shutdown(ctx); q.Shutdown(ctx)
//
// # What is guaranteed
//
// A 2xx answer means XADD returned: Redis holds the entry in memory. Whether
// it survives a crash of Redis is Redis's persistence setting:
//
//   - appendonly yes, appendfsync always: the entry is on disk before XADD
//     returns; a Redis crash or restart loses no acknowledged event.
//   - appendfsync everysec (Redis's default with AOF): up to about a second
//     of acknowledged entries can be lost if the Redis host fails.
//   - no AOF (RDB snapshots or none): everything since the last snapshot.
//
// Replication is asynchronous: a failover to a replica that had not yet
// received an entry loses it. Config.WaitReplicas makes the answer wait
// until that many replicas confirm the write (WAIT); if fewer confirm
// within WaitTimeout the sender gets 503 and retries (the entry is still
// processed once, see below). WAIT makes a failover lose nothing
// acknowledged in the usual cases; it is not a consensus protocol.
//
// Each event's Handler succeeds once, however many copies were queued and
// however often an entry is delivered: the worker reserves the event's key
// ([receiver.DedupKey], in its own namespace) in Config.Store before
// calling the Handler, commits it when the Handler succeeds and releases it
// when it fails. A failed commit (Redis unreachable) is retried until it
// lands, and the entry is acknowledged only afterwards. Where the event is
// written, a marker (Stream + ":queued:" + a digest of the key, kept for
// TTL) is set in the same script: a copy that arrives while its event is
// queued, or after it was processed, is answered with the success status
// and not written again. So the receiver's own deduplication can be off
// (receiver.DedupConfig.Disabled): it would only add two round trips.
//
// The one case that runs a Handler twice: the process dies (or its
// Shutdown budget ends) after the Handler returned and before its commit
// reached Redis, one round trip; or Redis is unreachable for longer than
// Lease then. Make the Handler's effect idempotent where that matters.
//
// # Delivery
//
// Every replica's workers read new entries (XREADGROUP). An entry whose
// worker died or failed stays pending; after Lease without progress another
// replica claims it (XAUTOCLAIM) and runs it again, so a failed Handler is
// retried every Lease. Once an entry was delivered MaxDeliveries times, or
// its Handler returned a permanent error ([receiver.Permanent],
// [receiver.ErrGone]: a retry cannot fix it), it is moved to the dead-letter
// stream (Stream + ":dead", the entry's fields plus "error" and
// "deliveries") and OnFailure is called. Processed entries are deleted, so
// the stream's length is the backlog; when it reaches MaxLen the queue
// answers 429 with Retry-After, and never trims an unprocessed entry.
//
// Shutdown stops reading, waits for the Handlers in progress and leaves
// the entries this replica had not finished pending: the other replicas
// claim them after Lease. Each process joins the group under a name of
// its own; a consumer that holds no pending entry and has been idle for 10
// Leases is deleted from the group (atomically with the check), so the
// names of stopped replicas do not pile up.
//
// # Keys
//
// The queue uses two streams, Stream and Stream + ":dead", one marker key
// per event written (Stream + ":queued:" + 64 hex digits, for TTL), and the
// keys of Config.Store (two per event processed, for TTL). Scripts touch both streams at once: on Redis Cluster, Stream
// must contain a hash tag (the default, "camarahooks:{events}", does) so
// that both live in one slot.
package redisqueue
