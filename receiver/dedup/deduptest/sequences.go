package deduptest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// Shorthands for sequence tables.
var (
	reserved = op{"reserve", dedup.Reserved}
	inFlight = op{"reserve", dedup.InFlight}
	done     = op{"reserve", dedup.Done}
	commit   = op{"commit", 0}
	release  = op{"release", 0}
)

// testSequences runs call sequences on one key with long leases and TTLs.
func testSequences(t *testing.T, in Instance) {
	for i, tc := range []struct {
		name string
		ops  []op
	}{
		{"reserve then reserve is in flight", []op{reserved, inFlight, inFlight}},
		{"commit then reserve is done", []op{reserved, commit, done, done}},
		{"release then reserve is reserved", []op{reserved, release, reserved, inFlight}},
		{"commit without reserve is done", []op{commit, done}},
		{"release of a done key is a no-op", []op{reserved, commit, release, done}},
		{"release of an absent key is a no-op", []op{release, reserved}},
		{"commit of a done key is a no-op", []op{reserved, commit, commit, done}},
		{"double release is a no-op", []op{reserved, release, release, reserved}},
		{"fail, retry, succeed", []op{reserved, release, reserved, commit, done}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "seq-" + strconv.Itoa(i)
			for _, o := range tc.ops {
				do(t, in.Store, key, o, in.Long)
			}
		})
	}
}

// testBadInput checks the argument errors and that a refused call changes
// nothing.
func testBadInput(t *testing.T, in Instance) {
	ctx := context.Background()
	s := in.Store
	for _, tc := range []struct {
		name string
		call func() error
		want error
	}{
		{"reserve empty key", func() error { return statusErr(s.Reserve(ctx, "", in.Long)) }, dedup.ErrEmptyKey},
		{"reserve zero lease", func() error { return statusErr(s.Reserve(ctx, "bad", 0)) }, dedup.ErrInvalidDuration},
		{"reserve negative lease", func() error { return statusErr(s.Reserve(ctx, "bad", -time.Second)) }, dedup.ErrInvalidDuration},
		{"commit empty key", func() error { return s.Commit(ctx, "", in.Long) }, dedup.ErrEmptyKey},
		{"commit zero ttl", func() error { return s.Commit(ctx, "bad", 0) }, dedup.ErrInvalidDuration},
		{"commit negative ttl", func() error { return s.Commit(ctx, "bad", -time.Second) }, dedup.ErrInvalidDuration},
		{"release empty key", func() error { return s.Release(ctx, "") }, dedup.ErrEmptyKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, tc.want) {
				t.Errorf("got error %v, want %v", err, tc.want)
			}
		})
	}
	// None of the refused calls may have created an entry.
	do(t, s, "bad", reserved, in.Long)
}

// statusErr checks the Status half of a refused Reserve and returns its
// error.
func statusErr(st dedup.Status, err error) error {
	if err != nil && st != 0 {
		return errors.New("got status " + st.String() + " with an error, want 0")
	}
	return err
}

// testKeysIndependent checks that keys do not affect each other, including
// keys that are prefixes of each other and unusual bytes.
func testKeysIndependent(t *testing.T, in Instance) {
	keys := []string{"a", "ab", "a\x00b", "ключ", "{tag}x", strings.Repeat("k", 1024)}
	for _, k := range keys {
		do(t, in.Store, k, reserved, in.Long)
	}
	do(t, in.Store, keys[0], commit, in.Long)
	do(t, in.Store, keys[1], release, in.Long)
	for i, want := range []op{done, reserved, inFlight, inFlight, inFlight, inFlight} {
		do(t, in.Store, keys[i], want, in.Long)
	}
}
