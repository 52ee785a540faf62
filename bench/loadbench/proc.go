package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// roleEnv marks a re-executed server process: the driver starts its own
// executable with roleEnv=serve, which works for the command and for the
// test binary (see TestMain) alike.
const roleEnv = "LOADBENCH_ROLE"

// clkTck is USER_HZ, the unit of utime and stime in /proc/<pid>/stat; it is
// 100 on every Linux platform Go supports.
const clkTck = 100

// children are the server processes alive, killed by killChildren.
var (
	childMu  sync.Mutex
	children = map[*server]bool{}
)

// killChildren kills every server process still running. It is called on
// every exit path of the driver, and from the signal handler.
func killChildren() {
	childMu.Lock()
	defer childMu.Unlock()
	for s := range children {
		s.cmd.Process.Kill() //nolint:errcheck // best effort on exit
		delete(children, s)
	}
}

// server is one running "serve" child process.
type server struct {
	kind string
	addr string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	mu   sync.Mutex
	// redis is the Redis of kind camarahooks-redis, nil for the others.
	redis *redisProc
}

// startServer starts "serve -kind kind" as a child with GOMAXPROCS=1,
// pinned to cpu with taskset when cpu >= 0 and taskset exists. extra are
// more serve flags (profiles).
func startServer(kind string, cpu int, extra ...string) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "-kind", kind, "-addr", "127.0.0.1:0"}, extra...)
	var cmd *exec.Cmd
	if ts, err := exec.LookPath("taskset"); err == nil && cpu >= 0 {
		// taskset execs the command: the child's pid is the server's.
		cmd = exec.Command(ts, append([]string{"-c", strconv.Itoa(cpu), self}, args...)...)
	} else {
		cmd = exec.Command(self, args...)
	}
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1", roleEnv+"=serve")
	cmd.Stderr = os.Stderr
	// The server also exits when its stdin ends, so it dies with the driver
	// even if the driver is killed without a chance to clean up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{kind: kind, cmd: cmd, in: in, out: bufio.NewReader(outPipe)}
	childMu.Lock()
	children[s] = true
	childMu.Unlock()
	line, err := s.readLine(15 * time.Second)
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("server %s did not start: %w", kind, err)
	}
	addr, ok := strings.CutPrefix(line, "addr ")
	if !ok {
		s.stop()
		return nil, fmt.Errorf("server %s: unexpected first line %q", kind, line)
	}
	s.addr = addr
	return s, nil
}

func (s *server) readLine(timeout time.Duration) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := s.out.ReadString('\n')
		ch <- result{strings.TrimSpace(line), err}
	}()
	select {
	case r := <-ch:
		return r.line, r.err
	case <-time.After(timeout):
		s.cmd.Process.Kill() //nolint:errcheck // unblocks the reader
		return "", errors.New("timed out")
	}
}

// mallocs asks the server for runtime.MemStats.Mallocs (between measured
// intervals: ReadMemStats stops the world).
func (s *server) mallocs() (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.WriteString(s.in, "mem\n"); err != nil {
		return 0, err
	}
	line, err := s.readLine(10 * time.Second)
	if err != nil {
		return 0, err
	}
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != "mem" {
		return 0, fmt.Errorf("server %s: unexpected answer %q", s.kind, line)
	}
	return strconv.ParseUint(f[1], 10, 64)
}

// cpuTime is the server's user+system CPU time so far.
func (s *server) cpuTime() (time.Duration, error) {
	return procCPU(s.cmd.Process.Pid)
}

// stop asks the server to quit (writing its profiles), waits up to 10s,
// then kills it.
func (s *server) stop() {
	io.WriteString(s.in, "quit\n") //nolint:errcheck // it may be gone
	s.in.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }() //nolint:errcheck // exit status is irrelevant
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill() //nolint:errcheck
		<-done
	}
	childMu.Lock()
	delete(children, s)
	childMu.Unlock()
}

// procCPU reads utime+stime of pid from /proc/<pid>/stat.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU extracts utime+stime (fields 14 and 15) from the text of a
// /proc/<pid>/stat file. The command name (field 2) may hold spaces and
// parentheses, so fields are counted after its last ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state): utime is field 14 = f[11], stime f[12].
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * time.Second / clkTck, nil
}

// procStatusKB returns a field in kB (VmHWM, VmRSS) of /proc/<pid>/status.
func procStatusKB(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) >= 1 {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("%s not in /proc/%d/status", field, pid)
}
