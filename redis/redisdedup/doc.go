// Package redisdedup is a [dedup.Store] on Redis, for several receiver
// replicas behind a load balancer: however many replicas get copies of one
// event, one of them calls back.
//
// Each [Store] is one holder in the sense of the dedup contract: it has a
// random owner id (128 bits from crypto/rand), and a reservation is a key
// holding that id and a per-call nonce. Every operation is a single command
// or Lua script on one key, so there is no read-modify-write race between
// replicas and the store works on Redis Cluster:
//
//   - Reserve: SET key value NX PXAT deadline GET (Redis 7.0): the old
//     value tells Reserved (none), Done ("done") and InFlight (another
//     reservation).
//   - Commit: SET key "done" PX ttl if the key holds this owner's
//     reservation or is absent; nothing if it is already "done";
//     [dedup.ErrNotOwner] if another owner holds it.
//   - Release: DEL key only if it holds this owner's reservation
//     (compare-and-delete), so a late Release never deletes another
//     replica's reservation or a committed key.
//
// The Redis key is KeyPrefix and a base64url SHA-256 digest of the event's
// key cut to 128 bits (22 characters): every entry has the same size, about
// 150 bytes of Redis memory, whatever the length of the event's id, and
// every replica computes the same name.
//
// # Pipelining
//
// The commands of concurrent calls go to Redis together: while one
// pipeline is on the wire, the calls that arrive queue, and go out as the
// next one, in one write and one read. A lone call is sent at once.
// [Store.CommitAsync], which the receiver uses, queues the commit without
// waiting for its answer, so an event costs the request one round trip
// (the Reserve) and the commit rides in a later pipeline; until it lands,
// this Store's Reserve of the key answers Done. The
// Store keeps no connection of its own: pipelines use the client's pool
// and options (timeouts, retries, TLS, Sentinel, Cluster).
//
// # Failures
//
// Errors from Redis (connection refused, timeouts, a failover in progress)
// are returned wrapped, as "redisdedup: reserve: <cause>", with no key or
// credential in the text. The receiver answers such an error with a 5xx,
// so the sender retries; no wrong Status is ever returned. [New] checks that
// Redis answers (and loads the scripts), so that a wrong address or
// password fails at start-up, not only as 503s.
//
// Two failures leave work undone, and the Store finishes it in the
// background, in one goroutine that runs while there is work (attempts
// 10 ms apart, backing off to 250 ms):
//
//   - A Commit that fails (Redis down after the callback ran) is retried
//     until it lands or its TTL has passed: the key becomes done as soon as
//     Redis answers again. Meanwhile this Store's Reserve of the key
//     answers Done, and Commit has returned the error (CommitAsync has
//     passed it to its done func; the receiver logs it). If the reservation survived the outage (a network failure, a
//     freeze, a restart with AOF) and the lease has not ended, no other
//     replica can reserve the key before the retry lands. If it did not (a
//     restart without persistence, an outage longer than the lease),
//     another replica's copy could reserve the key in the moment between
//     Redis's return and the retry (at most 250 ms): the retry interval,
//     not the lease, bounds that window. A process that exits with a commit
//     pending loses it, as a crash before the commit would.
//   - A Reserve whose caller got no answer (its context ended, or the read
//     timed out while Redis was frozen) may still run later. Its pipeline
//     still reads the answer when there is one, and the Store deletes the
//     reservation by its exact value, so it does not refuse the sender's
//     retries for the whole lease; without an answer, the delete is retried
//     until it finds the reservation or the lease has ended. The lease ends
//     at an absolute time (PXAT, from this host's clock), so a command Redis
//     runs late never holds the key past the moment it would have if run at
//     once. Keep the hosts' clocks synchronised (NTP) to well within the
//     lease.
//
// At most 100,000 such repairs are held; beyond that a failure is only
// returned to the caller.
//
// A Redis restart without persistence forgets every key: events processed
// before it can be processed again, which is the at-least-once floor the
// dedup package documents. With AOF (appendfsync always) a restart keeps
// every acknowledged write; with appendfsync everysec it can lose the last
// second of them; a replica promoted by Sentinel can lack the writes its
// master had not yet sent it.
//
// Only this package of the module imports github.com/redis/go-redis/v9.
package redisdedup
