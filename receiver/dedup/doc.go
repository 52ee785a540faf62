// Package dedup turns at-least-once delivery into exactly-once callbacks.
//
// CAMARA and Network as Code senders retry until they get a success code, so
// the same notification can arrive twice, or arrive again while the first
// copy is still being processed. The receiver asks a [Store] about each
// event's key (source and id, scoped by subscription) before it calls back:
//
//	status, err := store.Reserve(ctx, key, lease)
//	switch {
//	case err != nil:        // store unavailable: answer 5xx, the sender retries
//	case status == Reserved: // run the callback, then
//		// on success:  store.Commit(ctx, key, ttl)  -> answer 2xx
//		// on failure:  store.Release(ctx, key)      -> answer 5xx, the retry runs
//	case status == InFlight: // a copy is being processed: ask the sender to retry later
//	case status == Done:     // already processed: answer 2xx without calling back
//	}
//
// # The contract
//
// A key is in one of three states: absent, reserved (by a holder, until its
// lease expires) and done (until its TTL expires). Expiry turns an entry
// back into absent, whatever its state.
//
//   - Reserve on an absent key reserves it for lease and returns Reserved;
//     on a reserved key it returns InFlight, on a done key Done, and
//     changes nothing.
//   - Commit on a key reserved by the caller, or on an absent key, makes it
//     done for ttl. On a done key it does nothing. On a key another holder
//     reserved (the caller's lease expired first) it changes nothing and
//     returns [ErrNotOwner].
//   - Release deletes the key only if the caller holds the reservation. On a
//     done, absent or foreign key it does nothing and returns nil.
//
// Each operation is atomic: of many concurrent Reserve calls for one absent
// key, exactly one returns Reserved. A holder is one Store value: every
// goroutine that uses the same [Memory], or the same redisdedup.Store, is
// the same holder. Distinct redisdedup.Store values (replicas) are distinct
// holders even on one Redis.
//
// # What the guarantee is, and is not
//
// A callback runs at most once per key while the key's entry lives: while
// reserved (lease) and then while done (ttl). A callback can run again for
// the same key when
//
//   - the callback outlives its lease (another delivery then reserves the
//     key): choose leases well above the callback's worst-case time;
//   - the Done record expires (ttl) or is evicted (Memory full) before the
//     sender stops retrying: choose ttl above the sender's retry horizon and
//     MaxEntries above the number of distinct events within ttl;
//   - the process crashes after the callback succeeded but before Commit;
//   - the backend loses data (a Redis restart without persistence).
//
// These are the unavoidable limits of deduplication without a transaction
// spanning the callback's own side effects; a callback that must never run
// twice should also be idempotent on its own store.
//
// # Memory
//
// [NewMemory] returns the default, in-process Store. It is bounded by count
// and by time, every operation is O(1), and it starts no goroutine. Keys are
// reduced to 128-bit keyed digests, so an entry has a fixed size whatever
// the key's length and holds no pointer for the garbage collector to scan
// (about 70 bytes an entry, so the default MaxEntries of 100,000 holds at
// most about 7 MB; BenchmarkMemoryBytesPerEntry measures it, and
// go run ./bench/loadbench -dedupmem fills a store with a million ids).
//
// A full Memory evicts per owner, the name of the auth.Principal in the
// call's context: an owner holding MaxEntriesPerOwner entries (half the
// store by default) evicts its own least recently written entry, never
// another owner's, so one tenant's flood cannot make another tenant's
// processed events run twice.
//
// # Committing without waiting
//
// A Store whose Commit waits for a remote answer can implement
// [AsyncCommitter]; the receiver then sends the success without waiting for
// the commit. The answer never depended on the commit (the callback has
// run), and the holder's own Reserve sees the commit at once; other holders
// see the reservation until the commit lands, so a copy reaching another
// replica in that moment is asked to retry (InFlight), not run.
//
// # Testing a Store
//
// Package deduptest holds the conformance suite that every Store in this
// module passes; run it against your own implementation with deduptest.Run.
package dedup
