package redisdedup

import (
	"crypto/sha1"
	"encoding/hex"

	"github.com/camarahooks/camarahooks/internal/dedupscripts"
)

// Reserve needs no script: SET key value NX PXAT deadline GET (Redis 7.0)
// sets the reservation if the key is absent and answers the value it found,
// in one command. The scripts below each touch only KEYS[1], so they are
// atomic on a single Redis and valid on Redis Cluster.
//
// A reservation's value is the Store's owner id, "owner:<32 hex>:", then a
// per-Reserve nonce in base 36 and a ".". ARGV[1] below is either the owner
// id (any reservation of this Store matches it as a prefix) or one
// reservation's whole value (only that one matches: the "." keeps nonce 1
// from being a prefix of nonce 12). No value starts like "done".

// Replies of commitScript.
const (
	commitDone        = 1 // the key is now done for ttl
	commitAlreadyDone = 2 // the key was done; unchanged
	commitNotOwner    = 3 // another owner holds the key; unchanged
)

// commitScript marks the key done if it is reserved by ARGV[1] or absent;
// releaseScript is the compare-and-delete by prefix, returning the number
// of keys deleted.
var (
	commitScript  = newScript(dedupscripts.Commit)
	releaseScript = newScript(dedupscripts.Release)
)

// doneValue is a committed key's value.
const doneValue = "done"

// script is a Lua script and its SHA-1, the name EVALSHA calls it by.
type script struct {
	src, sha string
	shaArg   any // sha, boxed once (see scriptCmd)
}

func newScript(src string) script {
	sum := sha1.Sum([]byte(src))
	sha := hex.EncodeToString(sum[:])
	return script{src: src, sha: sha, shaArg: sha}
}
