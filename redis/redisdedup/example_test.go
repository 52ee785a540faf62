package redisdedup_test

import (
	"log"

	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/redis/go-redis/v9"
)

// One Store per replica, all on the same Redis and prefix. This example is
// compiled but not run, since it needs a Redis server; the package's tests
// run the same calls against a real one.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "redis.internal:6379"})
	defer client.Close()
	store, err := redisdedup.New(redisdedup.Config{
		Client:    client,
		KeyPrefix: "myapp:dedup:",
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = store // pass it to the receiver's configuration as its dedup.Store
}
