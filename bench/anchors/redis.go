package anchors

import (
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
)

// CamarahooksRedis is the full receiver deduplicating on Redis
// (redisdedup), as replicas do. It is not in Kinds: it needs a Redis, see
// NewRedis.
const CamarahooksRedis = "camarahooks-redis"

// NewRedis returns the CamarahooksRedis handler, accepting token, with its
// dedup store on client under prefix. It fails if Redis does not answer.
func NewRedis(token string, client redis.UniversalClient, prefix string) (http.Handler, error) {
	store, err := redisdedup.New(redisdedup.Config{Client: client, KeyPrefix: prefix})
	if err != nil {
		return nil, err
	}
	return camarahooksReceiver(token, receiver.DedupConfig{Store: store})
}
