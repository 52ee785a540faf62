package anchors

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/rueidis"

	"github.com/camarahooks/camarahooks/internal/dedupscripts"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// CamarahooksRueidis is the full receiver on a comparison dedup store that
// sends redisdedup's commands (SET NX PXAT GET; the commit and release
// scripts) through rueidis and its automatic pipelining instead of
// go-redis and redisdedup's own batching. It exists only to measure the
// choice of client (README's dependency table): it has none of
// redisdedup's repairs (commit retry, abandoned reservations) and is not
// for use.
const CamarahooksRueidis = "camarahooks-rueidis"

// NewRueidis returns the CamarahooksRueidis handler on the Redis at addr.
func NewRueidis(token, addr, prefix string) (http.Handler, error) {
	c, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: []string{addr}, DisableCache: true})
	if err != nil {
		return nil, err
	}
	var id [16]byte
	_, _ = rand.Read(id[:])
	return camarahooksReceiver(token, receiver.DedupConfig{Store: &rueidisStore{c: c, prefix: prefix, owner: "owner:" + hex.EncodeToString(id[:]) + ":"}})
}

type rueidisStore struct {
	c      rueidis.Client
	prefix string
	owner  string
	nonce  atomic.Uint64
}

// The same scripts as redisdedup's.
var (
	rueidisCommit  = rueidis.NewLuaScript(dedupscripts.Commit)
	rueidisRelease = rueidis.NewLuaScript(dedupscripts.Release)
)

func (s *rueidisStore) key(key string) string {
	sum := sha256.Sum256([]byte(key))
	return s.prefix + base64.RawURLEncoding.EncodeToString(sum[:16])
}

func (s *rueidisStore) Reserve(ctx context.Context, key string, lease time.Duration) (dedup.Status, error) {
	value := s.owner + strconv.FormatUint(s.nonce.Add(1), 36) + "."
	until := time.Now().Add(lease)
	old, err := s.c.Do(ctx, s.c.B().Set().Key(s.key(key)).Value(value).Nx().Get().Pxat(until).Build()).ToString()
	switch {
	case rueidis.IsRedisNil(err):
		return dedup.Reserved, nil
	case err != nil:
		return 0, err
	case old == "done":
		return dedup.Done, nil
	}
	return dedup.InFlight, nil
}

func (s *rueidisStore) Commit(ctx context.Context, key string, ttl time.Duration) error {
	n, err := rueidisCommit.Exec(ctx, s.c, []string{s.key(key)}, []string{s.owner, strconv.FormatInt(ttl.Milliseconds(), 10)}).AsInt64()
	if err == nil && n == 3 {
		return dedup.ErrNotOwner
	}
	return err
}

func (s *rueidisStore) Release(ctx context.Context, key string) error {
	return rueidisRelease.Exec(ctx, s.c, []string{s.key(key)}, []string{s.owner}).Error()
}
