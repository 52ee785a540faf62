package redistest

import (
	"strconv"
	"testing"
)

// StartServerAOF is StartServer with the append-only file on and fsynced
// before every write is acknowledged (appendfsync always): what Redis
// acknowledged survives Stop (a kill) and comes back with Restart, as on a
// production Redis configured not to lose writes.
func StartServerAOF(t testing.TB) *Server {
	t.Helper()
	return startServer(t, "--appendonly", "yes", "--appendfsync", "always")
}

// StartReplica starts a private redis-server replicating primary
// (--replicaof) and waits until it answers PING; the link itself comes up
// shortly after. It is stopped in t.Cleanup.
func StartReplica(t testing.TB, primary *Server) *Server {
	t.Helper()
	return startServer(t, "--replicaof", "127.0.0.1", strconv.Itoa(primary.port))
}
