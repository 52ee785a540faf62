package redistest

import "testing"

// StartServerAOF is StartServer with the append-only file on and fsynced
// before every write is acknowledged (appendfsync always): what Redis
// acknowledged survives Stop (a kill) and comes back with Restart, as on a
// production Redis configured not to lose writes.
func StartServerAOF(t testing.TB) *Server {
	t.Helper()
	return startServer(t, "--appendonly", "yes", "--appendfsync", "always")
}
