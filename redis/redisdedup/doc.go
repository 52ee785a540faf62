// Package redisdedup is a [dedup.Store] on Redis, for several receiver
// replicas behind a load balancer: however many replicas get copies of one
// event, one of them calls back.
//
// Each [Store] is one holder in the sense of the dedup contract: it has a
// random owner id (128 bits from crypto/rand), and a reservation is the key
// KeyPrefix+key holding that id. Every operation is a single atomic
// command or Lua script on that one key, so there is no read-modify-write
// race between replicas and the store works on Redis Cluster:
//
//   - Reserve: SET key owner NX PX lease; if the key existed, its value
//     tells Done ("done") from InFlight (an owner id). One script, one round
//     trip.
//   - Commit: SET key "done" PX ttl if the value is this owner or the key
//     is absent; nothing if it is already "done"; [dedup.ErrNotOwner] if
//     another owner holds it.
//   - Release: DEL key only if the value is this owner (compare-and-delete),
//     so a late Release never deletes another replica's reservation or a
//     committed key.
//
// Leases and TTLs are sent in milliseconds and rounded up, so a 1ns lease
// lives 1ms. Expiry is Redis's own: keys vanish by themselves, and this
// package runs no goroutine.
//
// # Failures
//
// Errors from Redis (connection refused, timeouts, a failover in progress)
// are returned wrapped, as "redisdedup: reserve: <cause>", with no key or
// credential in the text. The receiver answers such an error with a 5xx,
// so the sender retries; no wrong Status is ever returned. A Redis restart
// without persistence forgets every key: events processed before it can be
// processed again, which is the at-least-once floor the dedup package
// documents.
//
// Only this package of the module imports github.com/redis/go-redis/v9.
package redisdedup
