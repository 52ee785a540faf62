package jwtauth

// WaitFetch blocks until the fetch v has in progress, if any, has ended and
// its key set is in the cache: the signal tests wait for after a
// verification started a background refresh.
func WaitFetch(v *Verifier) {
	v.cache.mu.Lock()
	f := v.cache.inflight
	v.cache.mu.Unlock()
	if f != nil {
		<-f.done
	}
}
