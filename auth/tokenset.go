package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

// Credential is one accepted bearer token and what it may do.
//
// The zero value is invalid (its Token is empty). A Credential is copied by
// [NewTokenSet] and [TokenSet.Replace], slices included, so the caller may
// reuse or modify it afterwards.
type Credential struct {
	// Name labels the credential in principals, logs and the OnExpired hook,
	// e.g. "nac-qod-2025-06". It must not be the token. If empty,
	// "credential-<index>" (index in TokenSetConfig.Credentials, from 0).
	// Names need not be unique.
	Name string

	// Token is the secret the sender presents. Required. It must not be
	// empty and must be printable ASCII, bytes 0x21 to 0x7E (a token with
	// whitespace, control or non-ASCII bytes could never be presented; a
	// trailing newline read from a file is the usual cause). Use tokens with
	// at least 128 bits of entropy.
	Token Token

	// ExpiresAt is when the token stops being accepted (the NaC
	// accessTokenExpiresUtc): it is accepted while now < ExpiresAt and
	// refused with errExpiredToken from ExpiresAt on. The zero Time means it
	// never expires.
	ExpiresAt time.Time

	// SubscriptionIDs, if non-empty, binds the token to these
	// subscriptions: its Principal's Allows refuses (403) events of other
	// subscriptions and events that name none. Empty ids are a
	// configuration error. If empty, the token is valid for every
	// subscription.
	SubscriptionIDs []string
}

// TokenSetConfig configures a [TokenSet]. Only Credentials is required; the
// zero value of every other field is the documented default.
type TokenSetConfig struct {
	// Credentials are the accepted tokens; at least one is required. Several
	// may be live at once, which is how tokens are rotated without downtime:
	// add the new one, wait for senders to switch, remove the old one (see
	// TokenSet.Replace). Two credentials with the same token are an error.
	Credentials []Credential

	// ExtractOptions says where the token may be besides the standard
	// Authorization header. The zero value: only there.
	ExtractOptions

	// Now is the clock used for expiry. If nil, time.Now. Tests inject a
	// fake clock here.
	Now func() time.Time

	// OnExpired, if not nil, is called when a request presents a token
	// whose credential has expired, so the application can renew the
	// credential (for example re-create the subscription with a fresh
	// token): at most once per credential per minute, however many such
	// requests arrive, so that nobody can make it run on demand. It
	// receives the request's context and the credential's Principal, never
	// the token, and runs synchronously in the request's goroutine: keep it
	// short and non-blocking. If nil, nothing is called.
	OnExpired func(ctx context.Context, p Principal)
}

// TokenSet is a [Verifier] over a static set of bearer tokens.
//
// It stores only keyed SHA-256 digests of the configured tokens, never the
// tokens. Verify is safe for concurrent use, including concurrently with
// [TokenSet.Replace].
//
// Create one with [NewTokenSet]. The zero value (and a nil *TokenSet) refuses
// every request with an error that maps to 500, never "auth off".
type TokenSet struct {
	state atomic.Pointer[tokenState]
}

// tokenState is an immutable snapshot of a configuration; Replace swaps it
// as a whole, so a request sees either the old set or the new one.
type tokenState struct {
	// key is random, drawn for each snapshot: digests are SHA-256 of key
	// and token, so the map's keys are unknown outside the process and its
	// lookup timing says nothing about any configured token. 128 bits
	// suffice, and keep key and token within one SHA-256 block for tokens
	// up to 39 bytes.
	key       [16]byte
	byDigest  map[[sha256.Size]byte]*credential
	opts      ExtractOptions
	now       func() time.Time
	onExpired func(context.Context, Principal)
}

// credential is the compiled form of a Credential: the token's digest, never
// the token.
type credential struct {
	digest    [sha256.Size]byte
	principal Principal
	expiresAt time.Time
	// expiredCalled is when OnExpired last ran for this credential, in
	// unix nanoseconds; 0 if never.
	expiredCalled atomic.Int64
}

// errNoCredentials is returned by the zero TokenSet; it maps to 500.
var errNoCredentials = errors.New("auth: TokenSet has no credentials (create it with NewTokenSet)")

// NewTokenSet validates cfg and returns a TokenSet for it. It returns an
// error, never a set that accepts everything, when cfg has no credentials or
// a credential is invalid (see [Credential]). Error texts name credentials
// by index and Name, never by token. cfg's slices are copied.
func NewTokenSet(cfg TokenSetConfig) (*TokenSet, error) {
	s := new(TokenSet)
	if err := s.Replace(cfg); err != nil {
		return nil, err
	}
	return s, nil
}

// Replace atomically swaps the whole configuration for cfg, e.g. to rotate
// tokens at run time. Requests already inside Verify finish with the old
// set; later ones use the new set. If cfg is invalid, Replace returns the
// same errors as [NewTokenSet] and the current set stays in force. Replace
// is safe for concurrent use; concurrent Replace calls are applied in some
// order, each wholly.
func (s *TokenSet) Replace(cfg TokenSetConfig) error {
	if s == nil {
		return errors.New("auth: Replace called on a nil *TokenSet")
	}
	st, err := compile(cfg)
	if err != nil {
		return err
	}
	s.state.Store(st)
	return nil
}

// compile validates cfg and builds an immutable snapshot from copies.
func compile(cfg TokenSetConfig) (*tokenState, error) {
	if len(cfg.Credentials) == 0 {
		return nil, errors.New("auth: TokenSetConfig.Credentials is empty; at least one token is required")
	}
	st := &tokenState{
		byDigest:  make(map[[sha256.Size]byte]*credential, len(cfg.Credentials)),
		opts:      cfg.ExtractOptions,
		now:       cfg.Now,
		onExpired: cfg.OnExpired,
	}
	if st.now == nil {
		st.now = time.Now
	}
	rand.Read(st.key[:]) // never fails (crypto/rand since Go 1.24)
	first := make(map[[sha256.Size]byte]int, len(cfg.Credentials))
	for i, c := range cfg.Credentials {
		name := c.Name
		if name == "" {
			name = fmt.Sprintf("credential-%d", i)
		}
		where := fmt.Sprintf("auth: credential %d (%q)", i, name)
		if c.Token == "" {
			return nil, errors.New(where + ": empty token")
		}
		if !validToken(string(c.Token)) {
			return nil, errors.New(where + ": token has a byte outside printable ASCII (whitespace, control or non-ASCII) and could never be presented")
		}
		if string(c.Token) == name {
			return nil, errors.New(where + ": Name must be a label, not the token")
		}
		cc := &credential{
			digest:    st.digest(c.Token),
			principal: Principal{Name: name},
			expiresAt: c.ExpiresAt,
		}
		if j, dup := first[cc.digest]; dup {
			return nil, fmt.Errorf("%s: same token as credential %d", where, j)
		}
		first[cc.digest] = i
		if len(c.SubscriptionIDs) > 0 {
			p := &cc.principal
			p.Subscriptions = slices.Clone(c.SubscriptionIDs)
			p.subs = make(map[string]struct{}, len(c.SubscriptionIDs))
			for k, id := range c.SubscriptionIDs {
				if id == "" {
					return nil, fmt.Errorf("%s: SubscriptionIDs[%d] is empty", where, k)
				}
				p.subs[id] = struct{}{}
			}
		}
		st.byDigest[cc.digest] = cc
	}
	return st, nil
}

// Verify implements [Verifier]. It extracts the bearer token (see
// [ExtractToken]), finds its credential, and checks that the token is known
// ([ErrInvalidToken]) and not expired ([errExpiredToken], after calling
// OnExpired). It returns the credential's Principal, which checks
// subscriptions with [Principal.Allows].
func (s *TokenSet) Verify(r *http.Request) (Principal, error) {
	if s == nil {
		return Principal{}, errNoCredentials
	}
	st := s.state.Load()
	if st == nil {
		return Principal{}, errNoCredentials
	}
	tok, err := ExtractToken(r, st.opts)
	if err != nil {
		return Principal{}, err
	}
	// Why the comparison leaks nothing useful through timing: both sides
	// are keyed SHA-256 digests (a random key drawn for each
	// configuration, then the token), so their lengths are fixed and the
	// work never depends on the configured token's length. The candidate is
	// found by a map keyed by digest, O(1) for 10,000 tokens as for one;
	// its timing depends on digests nobody outside the process can compute.
	// Byte-by-byte guessing, which == on tokens allows, is impossible: one
	// byte changes the whole digest. The candidate (or, on a miss, an
	// all-zero decoy, so both paths do the same work) is then confirmed in
	// constant time over the full 32 bytes.
	sum := st.digest(tok)
	c, found := st.byDigest[sum]
	var decoy [sha256.Size]byte
	want := &decoy
	if found {
		want = &c.digest
	}
	if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !found {
		return Principal{}, ErrInvalidToken
	}
	if exp := c.expiresAt; !exp.IsZero() && !st.now().Before(exp) {
		if st.onExpired != nil && c.claimExpiredCall(st.now()) {
			st.onExpired(r.Context(), c.principal)
		}
		return Principal{}, errExpiredToken
	}
	return c.principal, nil
}

// digest returns the SHA-256 digest of st.key followed by tok. A secret
// prefix makes SHA-256 a keyed function here: length extension does not
// matter, as digests never leave the process. Tokens up to 256 bytes (all
// real ones) are hashed from a stack buffer: TestTokenSetVerifyDoesNotAllocate
// holds the success path to no allocation.
func (st *tokenState) digest(tok Token) [sha256.Size]byte {
	var buf [len(st.key) + 256]byte
	n := copy(buf[:], st.key[:])
	if len(tok) <= len(buf)-n {
		n += copy(buf[n:], tok)
		return sha256.Sum256(buf[:n])
	}
	h := sha256.New()
	h.Write(st.key[:])
	h.Write([]byte(tok))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// expiredInterval is how often OnExpired may run for one credential.
const expiredInterval = time.Minute

// claimExpiredCall reports whether OnExpired may run now for c, and if so
// records that it does: one caller wins per interval.
func (c *credential) claimExpiredCall(now time.Time) bool {
	last := c.expiredCalled.Load()
	if last != 0 && now.UnixNano()-last < int64(expiredInterval) {
		return false
	}
	return c.expiredCalled.CompareAndSwap(last, now.UnixNano())
}
