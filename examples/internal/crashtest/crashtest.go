// Package crashtest drives crash tests of an example sink through real
// processes: it builds the program, runs replicas of it on loopback ports,
// SIGKILLs and restarts them (only the processes it started, by PID), sends
// a bounded load of distinct events round-robin with a sender's retries,
// and counts from the replicas' stdout which acknowledged events were
// called back, and how often.
package crashtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Env must be "1" for the crash tests to run: they take tens of seconds
// and need redis-server; .ci/run sets it.
const Env = "CAMARAHOOKS_CRASH_TESTS"

// Token is the replicas' sink token.
const Token = "crash-test-token-5f1c"

// Skip skips t unless Env is "1".
func Skip(t *testing.T) {
	if os.Getenv(Env) != "1" {
		t.Skip("crash test: set " + Env + "=1 (.ci/run does)")
	}
}

var build struct {
	sync.Mutex
	dir, bin string
}

// Build builds the main package in the current directory, once per test
// binary; call Cleanup from TestMain to remove it.
func Build(t *testing.T) string {
	t.Helper()
	build.Lock()
	defer build.Unlock()
	if build.bin != "" {
		return build.bin
	}
	dir, err := os.MkdirTemp("", "crashtest")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "sink")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		t.Fatalf("go build: %v\n%s", err, out)
	}
	build.dir, build.bin = dir, bin
	return bin
}

// Cleanup removes what Build built.
func Cleanup() {
	build.Lock()
	defer build.Unlock()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}

// Replica is one sink process at a fixed loopback address, restartable.
type Replica struct {
	t    *testing.T
	bin  string
	args []string
	addr string
	dir  string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	runs []string // stdout file of each run, in order
}

// Start starts a replica of bin with args (after -addr and -token) and
// waits until it accepts connections. The replica is killed at t's end if
// still running.
func Start(t *testing.T, bin string, args ...string) *Replica {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := &Replica{t: t, bin: bin, args: args, addr: addr, dir: t.TempDir()}
	t.Cleanup(r.Kill)
	r.Restart()
	return r
}

// URL is the replica's /qod endpoint.
func (r *Replica) URL() string { return "http://" + r.addr + "/qod" }

// Restart starts the process again (after Kill or Stop) on the same port.
func (r *Replica) Restart() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.runs)
	out := filepath.Join(r.dir, fmt.Sprintf("run%d.out", n))
	stdout, err := os.Create(out)
	if err != nil {
		r.t.Fatal(err)
	}
	stderr, err := os.Create(filepath.Join(r.dir, fmt.Sprintf("run%d.err", n)))
	if err != nil {
		r.t.Fatal(err)
	}
	cmd := exec.Command(r.bin, append([]string{"-addr", r.addr, "-token", Token}, r.args...)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); stdout.Close(); stderr.Close(); close(done) }()
	r.cmd, r.done, r.runs = cmd, done, append(r.runs, out)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		select {
		case <-done:
			errs, _ := os.ReadFile(stderr.Name())
			r.t.Fatalf("replica exited at start: %s", errs)
		default:
		}
		if c, err := net.DialTimeout("tcp", r.addr, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatal("replica not listening within 20s")
		}
	}
}

// Kill sends SIGKILL to the running process, if any, and waits for it.
func (r *Replica) Kill() { r.signal(syscall.SIGKILL) }

// Stop sends SIGTERM and waits (15s at most, then SIGKILL).
func (r *Replica) Stop() { r.signal(syscall.SIGTERM) }

func (r *Replica) signal(sig syscall.Signal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Signal(sig)
	select {
	case <-r.done:
	case <-time.After(15 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.done
	}
	r.cmd = nil
}

// Runs returns the stdout files of every run so far.
func (r *Replica) Runs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.runs...)
}

// Callbacks reads the event lines of files: the ids called back, each with
// the places (file, line index) it was.
func Callbacks(t *testing.T, files ...string) map[string][]Place {
	t.Helper()
	out := make(map[string][]Place)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for i := 0; sc.Scan(); i++ {
			var line struct{ Msg, ID string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "notification" {
				out[line.ID] = append(out[line.ID], Place{File: f, Line: i})
			}
		}
	}
	return out
}

// Place is where a callback was logged.
type Place struct {
	File string
	Line int
}

// Load is a bounded load of distinct events, each sent until a 2xx or its
// deadline, round-robin over the targets per attempt, as a CAMARA sender
// retries (429 and 5xx after Retry-After, capped; connection errors at
// once to the next target).
type Load struct {
	Prefix string
	N      int // events
	Conns  int

	Acked      []atomic.Bool // by event index
	acked      atomic.Int64
	mu         sync.Mutex
	Statuses   map[int]int // every attempt's status; 0 for a transport error
	NoRetryHdr int         // 429 or 503 answers without Retry-After
}

// ID is the id of event i.
func (l *Load) ID(i int) string { return l.Prefix + strconv.Itoa(i) }

// AckedCount returns the events acknowledged so far.
func (l *Load) AckedCount() int { return int(l.acked.Load()) }

// Run sends the events to targets and returns when each has a 2xx or
// gave up (perEvent after its first attempt).
func (l *Load) Run(targets []string, perEvent time.Duration) {
	l.Acked = make([]atomic.Bool, l.N)
	l.Statuses = make(map[int]int)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: l.Conns}}
	var next, rr atomic.Int64
	var wg sync.WaitGroup
	for range l.Conns {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < l.N; i = int(next.Add(1) - 1) {
				l.send(client, targets, &rr, i, perEvent)
			}
		})
	}
	wg.Wait()
}

func (l *Load) send(client *http.Client, targets []string, rr *atomic.Int64, i int, perEvent time.Duration) {
	h, body, err := receivertest.Encode(receivertest.Notification{ID: l.ID(i), Token: Token})
	if err != nil {
		panic(err)
	}
	for deadline := time.Now().Add(perEvent); time.Now().Before(deadline); {
		req, _ := http.NewRequest(http.MethodPost, targets[int(rr.Add(1))%len(targets)], bytes.NewReader(body))
		req.Header = h.Clone()
		resp, err := client.Do(req)
		status := 0
		if err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
		l.mu.Lock()
		l.Statuses[status]++
		l.mu.Unlock()
		switch {
		case status >= 200 && status < 300:
			l.Acked[i].Store(true)
			l.acked.Add(1)
			return
		case status == 0:
			time.Sleep(10 * time.Millisecond)
		case status == http.StatusTooManyRequests || status >= 500:
			ra, err := strconv.Atoi(resp.Header.Get("Retry-After"))
			if err != nil || ra < 1 {
				l.mu.Lock()
				l.NoRetryHdr++
				l.mu.Unlock()
			}
			time.Sleep(200 * time.Millisecond) // Retry-After, capped for the test's length
		default:
			return // refused for good: not acknowledged
		}
	}
}

// Outcome compares the acknowledged events with the callbacks.
type Outcome struct {
	Acked, CalledBack, Lost, Doubled int
	DoubledIDs                       []string
}

// Count returns the outcome of l against calls.
func (l *Load) Count(calls map[string][]Place) Outcome {
	var o Outcome
	for i := range l.N {
		n := len(calls[l.ID(i)])
		if l.Acked[i].Load() {
			o.Acked++
			if n == 0 {
				o.Lost++
			}
		}
		if n > 0 {
			o.CalledBack++
		}
		if n > 1 {
			o.Doubled++
			o.DoubledIDs = append(o.DoubledIDs, l.ID(i))
		}
	}
	return o
}

// Until polls cond every 50ms until it holds or limit passes, and reports
// whether it held: for states only visible in files and Redis.
func Until(limit time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
