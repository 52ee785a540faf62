package redistest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Environment variables read by this package.
const (
	// EnvAddr names an existing Redis (host:port) for Start to use instead
	// of starting one.
	EnvAddr = "CAMARAHOOKS_REDIS_ADDR"
	// EnvRequire, when "1", turns "redis-server not on PATH" from a skip
	// into a failure.
	EnvRequire = "CAMARAHOOKS_REQUIRE_REDIS"
)

// readyTimeout bounds how long a started server may take to answer PING.
const readyTimeout = 10 * time.Second

// Start returns the address of a Redis server for t: the value of
// CAMARAHOOKS_REDIS_ADDR if set (after checking that it answers PING),
// else that of a private redis-server started for t and stopped in
// t.Cleanup. Data on a shared server named by the environment is not
// cleared: give each test its own key prefix.
func Start(t testing.TB) (addr string) {
	t.Helper()
	if addr := os.Getenv(EnvAddr); addr != "" {
		if err := ping(addr, readyTimeout); err != nil {
			t.Fatalf("redistest: %s=%s: %v", EnvAddr, addr, err)
		}
		return addr
	}
	return StartServer(t).Addr()
}

// Server is a private redis-server process owned by one test. Its methods
// are safe for concurrent use, but Stop and Restart are meant to be called
// from the test goroutine. The zero value is not usable; see StartServer.
type Server struct {
	tb   testing.TB
	bin  string
	dir  string
	port int
	args []string // extra redis-server arguments (persistence)

	mu     sync.Mutex
	proc   *os.Process   // nil while stopped
	exited chan struct{} // closed once proc has been waited for
}

// StartServer starts a private redis-server on a free loopback port, waits
// until it answers PING, and stops it in t.Cleanup. It ignores
// CAMARAHOOKS_REDIS_ADDR, since a test that stops the server must own it.
// Without redis-server on PATH it skips t, or fails it if
// CAMARAHOOKS_REQUIRE_REDIS=1.
func StartServer(t testing.TB) *Server {
	t.Helper()
	return startServer(t)
}

func startServer(t testing.TB, args ...string) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		const msg = "redis-server not on PATH; install it (apt-get install redis-server) or set " + EnvAddr
		if os.Getenv(EnvRequire) == "1" {
			t.Fatal(msg + " (" + EnvRequire + "=1)")
		}
		t.Skip(msg)
	}
	s := &Server{tb: t, bin: bin, dir: t.TempDir(), args: args}
	t.Cleanup(s.Stop)
	// Another process can take the free port between our probe and the
	// server's bind; try a few ports.
	var errs []error
	for range 5 {
		port, err := freePort()
		if err != nil {
			t.Fatalf("redistest: %v", err)
		}
		s.port = port
		if err := s.start(); err != nil {
			errs = append(errs, err)
			continue
		}
		return s
	}
	t.Fatalf("redistest: could not start redis-server: %v", errors.Join(errs...))
	return nil
}

// Addr returns the server's address, 127.0.0.1:port. It stays the same
// across Stop and Restart.
func (s *Server) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
}

// Stop kills the server (as a crash would: no shutdown save) and waits for
// the process to exit. Connections to Addr are refused afterwards. Stop on
// a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return
	}
	_ = s.proc.Kill()
	<-s.exited
	s.proc = nil
}

// Restart starts the server again on the same port, empty (or, started by
// StartServerAOF, with what its append-only file holds), and waits until
// it answers PING. It fails the test if the server is running or cannot be
// started.
func (s *Server) Restart() {
	s.tb.Helper()
	var err error
	for range 5 { // the port may still be held briefly by the old process
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.tb.Fatalf("redistest: restart on %s: %v", s.Addr(), err)
}

// start runs redis-server on s.port and waits for PING.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		return errors.New("already running")
	}
	// log is written by exec's copying goroutines; it is read only after
	// exited is closed, when they have finished.
	log := new(bytes.Buffer)
	args := append([]string{
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
	}, s.args...) // later arguments win
	cmd := exec.Command(s.bin, args...)
	cmd.Stdout = log
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("redis-server on port %d exited (%v): %s", s.port, waitErr, strings.TrimSpace(log.String()))
		default:
		}
		if ping(s.Addr(), 200*time.Millisecond) == nil {
			s.proc = cmd.Process
			s.exited = exited
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	<-exited
	return fmt.Errorf("redis-server on port %d did not answer PING within %v: %s", s.port, readyTimeout, strings.TrimSpace(log.String()))
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ping sends a RESP PING to addr and expects +PONG.
func ping(addr string, timeout time.Duration) error {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q, want +PONG", strings.TrimSpace(line))
	}
	return nil
}
