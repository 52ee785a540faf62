package anchors

import (
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
)

// CamarahooksRedis is the full receiver deduplicating on Redis
// (redisdedup), as replicas do. It is not in Kinds: it needs a Redis, see
// NewRedis.
const CamarahooksRedis = "camarahooks-redis"

// CamarahooksRedisSyncCommit is CamarahooksRedis with every commit awaited
// before the answer, as before the receiver used dedup.AsyncCommitter: the
// difference is what answering without waiting for the commit saves.
const CamarahooksRedisSyncCommit = "camarahooks-redis-synccommit"

// NewRedis returns the handler of kind (CamarahooksRedis or
// CamarahooksRedisSyncCommit), accepting token, with its dedup store on
// client under prefix. It fails if Redis does not answer.
func NewRedis(kind, token string, client redis.UniversalClient, prefix string) (http.Handler, error) {
	store, err := redisdedup.New(redisdedup.Config{Client: client, KeyPrefix: prefix})
	if err != nil {
		return nil, err
	}
	var ds dedup.Store = store
	if kind == CamarahooksRedisSyncCommit {
		ds = syncCommitStore{store}
	}
	return camarahooksReceiver(token, receiver.DedupConfig{Store: ds})
}

// syncCommitStore hides the Store's CommitAsync from the receiver.
type syncCommitStore struct{ dedup.Store }
