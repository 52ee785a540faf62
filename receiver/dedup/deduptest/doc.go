// Package deduptest checks an implementation of [dedup.Store] against the
// contract written in package dedup.
//
// [Run] is the one conformance suite for every Store in this module: the
// in-memory store runs it with a fake clock, redisdedup runs it against a
// real redis-server with short real leases. Authors of other Stores can run
// it from their own tests:
//
//	func TestConformance(t *testing.T) {
//		deduptest.Run(t, func(t *testing.T) deduptest.Instance {
//			return deduptest.Instance{Store: newMyStore(t), Wait: time.Sleep}
//		})
//	}
//
// The suite asserts outcomes only ("got InFlight, want Reserved"), never
// speed. Waiting for a lease to expire is done by calling Instance.Wait and
// then polling, a bounded number of times, until the store agrees.
package deduptest
