package redistest

import "syscall"

// Pause freezes the server with SIGSTOP, as a stalled host or a long fork
// would: connections stay open and commands sent meanwhile wait in the
// socket, to run when Resume is called. Pause on a stopped server does
// nothing.
func (s *Server) Pause() { s.signal(syscall.SIGSTOP) }

// Resume lets a paused server run again (SIGCONT); the commands that
// waited run first.
func (s *Server) Resume() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return
	}
	if err := s.proc.Signal(sig); err != nil {
		s.tb.Errorf("redistest: %v to redis-server: %v", sig, err)
	}
}
