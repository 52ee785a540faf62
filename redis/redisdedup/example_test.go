package redisdedup_test

import (
	"log"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/redis/go-redis/v9"
)

// One Store per replica, all on the same Redis and prefix. This example is
// compiled but not run, since it needs a Redis server; the package's tests
// run the same calls against a real one.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "redis.internal:6379"})
	defer client.Close()
	store, err := redisdedup.New(redisdedup.Config{Client: client}) // fails if Redis does not answer
	if err != nil {
		log.Fatal(err)
	}
	_ = receiver.DedupConfig{Store: store} // the receiver's Config.Dedup
}
