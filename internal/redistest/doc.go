// Package redistest gives tests a real Redis server.
//
// [Start] returns the address of a Redis to use: the one named by
// CAMARAHOOKS_REDIS_ADDR if set, else a private redis-server it starts on a
// free loopback port and stops when the test ends. [StartServer] always
// starts a private server and lets the test stop and restart it on the same
// port, for fault tests.
//
// When redis-server is not on PATH, both skip the test with a message that
// says how to install it, unless CAMARAHOOKS_REQUIRE_REDIS=1, in which case
// they fail it (CI sets this, so that Redis tests cannot silently vanish).
//
// Private servers keep nothing on disk: --save ” --appendonly no, with
// their working directory in t.TempDir(). This package deliberately speaks
// the little RESP it needs (PING) itself, so that it does not import a
// Redis client.
package redistest
