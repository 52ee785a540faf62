package redisdedup

import (
	"sync"
	"sync/atomic"
)

// keySet is a set of Redis keys that counts repeats, so that two pending
// commits of one key (a re-reservation after a lease ran out) keep it in
// the set until both are answered. Its zero value is empty and ready.
type keySet struct {
	n  atomic.Int32 // the number of entries, read without the lock by has
	mu sync.Mutex
	m  map[string]int32
}

func (s *keySet) add(key string) {
	s.mu.Lock()
	if s.m == nil {
		s.m = make(map[string]int32)
	}
	s.m[key]++
	s.n.Add(1)
	s.mu.Unlock()
}

func (s *keySet) remove(key string) {
	s.mu.Lock()
	if s.m[key]--; s.m[key] <= 0 {
		delete(s.m, key)
	}
	s.n.Add(-1)
	s.mu.Unlock()
}

func (s *keySet) has(key string) bool {
	if s.n.Load() == 0 {
		return false
	}
	s.mu.Lock()
	_, ok := s.m[key]
	s.mu.Unlock()
	return ok
}
