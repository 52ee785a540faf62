package redistest_test

import (
	"bufio"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/internal/redistest"
)

// roundTrip sends one inline command and returns the first reply line.
func roundTrip(t *testing.T, addr, cmd string) (string, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return "", err
	}
	if _, err := c.Write([]byte(cmd + "\r\n")); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

func TestStart(t *testing.T) {
	addr := redistest.Start(t)
	if got, err := roundTrip(t, addr, "PING"); err != nil || got != "+PONG" {
		t.Fatalf("PING: got %q, %v, want +PONG", got, err)
	}
}

func TestServerStopRestart(t *testing.T) {
	srv := redistest.StartServer(t)
	addr := srv.Addr()
	if got, err := roundTrip(t, addr, "SET k v"); err != nil || got != "+OK" {
		t.Fatalf("SET: got %q, %v, want +OK", got, err)
	}
	srv.Stop()
	srv.Stop() // idempotent
	if _, err := roundTrip(t, addr, "PING"); err == nil {
		t.Fatal("PING after Stop: got no error, want connection refused")
	}
	srv.Restart()
	if got := srv.Addr(); got != addr {
		t.Fatalf("Addr after Restart: got %s, want %s", got, addr)
	}
	// The server is restarted empty: nothing is saved to disk.
	if got, err := roundTrip(t, addr, "EXISTS k"); err != nil || got != ":0" {
		t.Fatalf("EXISTS k after Restart: got %q, %v, want :0", got, err)
	}
}

func TestStartUsesEnvAddr(t *testing.T) {
	srv := redistest.StartServer(t)
	t.Setenv(redistest.EnvAddr, srv.Addr())
	if got := redistest.Start(t); got != srv.Addr() {
		t.Fatalf("Start with %s set: got %s, want %s", redistest.EnvAddr, got, srv.Addr())
	}
}

func TestSkipOrFailWithoutRedisServer(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(redistest.EnvAddr, "")
	for _, tc := range []struct {
		require  string
		wantSkip bool
	}{
		{"", true},
		{"0", true},
		{"1", false},
	} {
		t.Run("require="+tc.require, func(t *testing.T) {
			t.Setenv(redistest.EnvRequire, tc.require)
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() { // Skip and Fatal call runtime.Goexit
				defer close(done)
				redistest.Start(rec)
			}()
			<-done
			if rec.skipped != tc.wantSkip || rec.failed == tc.wantSkip {
				t.Fatalf("got skipped=%v failed=%v, want skipped=%v failed=%v",
					rec.skipped, rec.failed, tc.wantSkip, !tc.wantSkip)
			}
			if !strings.Contains(rec.msg, "apt-get install redis-server") {
				t.Errorf("message: got %q, want it to say how to install redis-server", rec.msg)
			}
		})
	}
}

// recorder is a testing.TB that records Skip and Fatal instead of acting on
// the real test.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper() {}

func (r *recorder) Skip(args ...any) {
	r.skipped = true
	r.msg = strings.TrimSpace(fmt.Sprintln(args...))
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.failed = true
	r.msg = strings.TrimSpace(fmt.Sprintln(args...))
	runtime.Goexit()
}

// TestAOFSurvivesRestart: with StartServerAOF, a key written before Stop
// is there after Restart; without, it is gone.
func TestAOFSurvivesRestart(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(testing.TB) *redistest.Server
		want  string // GET's first reply line: the bulk length
	}{
		{"aof", redistest.StartServerAOF, "$1"},
		{"plain", redistest.StartServer, "$-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.start(t)
			if got, err := roundTrip(t, s.Addr(), "SET k v"); got != "+OK" {
				t.Fatalf("SET: %q %v", got, err)
			}
			s.Stop()
			s.Restart()
			if got, err := roundTrip(t, s.Addr(), "GET k"); got != tc.want {
				t.Errorf("GET after restart: %q %v, want %q", got, err, tc.want)
			}
		})
	}
}
