package jwtauth

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/auth"
)

// A sender reuses one access token for every notification until it
// expires, and a signature check costs tens of microseconds (RSA) where
// the rest of a request costs a few: so a token that passed is remembered,
// by its SHA-256 digest (never the token), with its Principal and validity
// window, for as long as the key set it was checked against is the cached
// one. A refresh, even to the same keys, forgets every token, so a key the
// server removed stops being accepted at the same time as without this
// memory.
type verifiedTokens struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]verified
}

// verified is one remembered token.
type verified struct {
	p        auth.Principal
	set      *keySet   // the key set the signature was checked against
	from, to time.Time // accepted while from <= now <= to (skew applied)
}

// maxVerified bounds the memory: only tokens the authorization server
// signed get in, so reaching it takes many senders, not an attacker; it
// is then emptied and fills again.
const maxVerified = 4096

// lookup returns the Principal of tok if it passed against set and is
// valid at now.
func (vt *verifiedTokens) lookup(sum [sha256.Size]byte, set *keySet, now time.Time) (auth.Principal, bool) {
	vt.mu.Lock()
	e, ok := vt.m[sum]
	vt.mu.Unlock()
	if !ok || e.set != set || now.Before(e.from) || now.After(e.to) {
		return auth.Principal{}, false
	}
	return e.p, true
}

// remember records a token that passed.
func (vt *verifiedTokens) remember(sum [sha256.Size]byte, e verified) {
	vt.mu.Lock()
	defer vt.mu.Unlock()
	if vt.m == nil || len(vt.m) >= maxVerified {
		vt.m = make(map[[sha256.Size]byte]verified)
	}
	vt.m[sum] = e
}
