package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisProc is the redis-server the driver starts for kind
// camarahooks-redis: on a free loopback port, without persistence, pinned
// to the client's core (the server's core stays the server's own), killed
// with the driver.
type redisProc struct {
	addr   string
	cmd    *exec.Cmd
	dir    string
	client *redis.Client
	base   int64 // used_memory at start
}

// startRedis starts it, with AOF and appendfsync everysec when aof is
// true.
func startRedis(cpu int, aof bool) (*redisProc, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("kind %s needs redis-server on PATH: %w", kindCamaraRedis, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "loadbench-redis-")
	if err != nil {
		return nil, err
	}
	args := []string{bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir}
	if aof {
		args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
	}
	if ts, err := exec.LookPath("taskset"); err == nil && cpu >= 0 {
		args = append([]string{ts, "-c", strconv.Itoa(cpu)}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &redisProc{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd, dir: dir}
	childMu.Lock()
	children[&server{kind: "redis", cmd: cmd}] = true
	childMu.Unlock()
	r.client = redis.NewClient(&redis.Options{Addr: r.addr, MaxRetries: -1})
	for range 200 { // up to 10 s
		if err = r.client.Ping(context.Background()).Err(); err == nil {
			if r.base, err = r.usedMemory(); err != nil {
				r.stop()
				return nil, err
			}
			return r, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.stop()
	return nil, fmt.Errorf("redis-server on %s did not answer: %w", r.addr, err)
}

func (r *redisProc) stop() {
	if r == nil {
		return
	}
	r.client.Close()
	r.cmd.Process.Kill() //nolint:errcheck // it may be gone
	r.cmd.Wait()         //nolint:errcheck // killed
	os.RemoveAll(r.dir)
	childMu.Lock()
	for s := range children {
		if s.cmd == r.cmd {
			delete(children, s)
		}
	}
	childMu.Unlock()
}

// usedMemory is INFO memory's used_memory, in bytes.
func (r *redisProc) usedMemory() (int64, error) {
	info, err := r.client.Info(context.Background(), "memory").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, errors.New("no used_memory in INFO memory")
}

// keys is the number of keys in Redis (DBSIZE).
func (r *redisProc) keys() int64 {
	return r.client.DBSize(context.Background()).Val()
}

// printRedis prints what Redis holds per event: used_memory grown during
// the measured intervals over the events answered in them.
func printRedis(w io.Writer, r *redisProc, results map[cell][]sample) {
	if r == nil {
		return
	}
	for _, kind := range dedupKinds {
		printRedisKind(w, kind, results)
	}
	fmt.Fprintf(w, "Redis at the end: %d keys (each done record lives the receiver's Dedup.TTL, 24h by default)\n", r.keys())
}

func printRedisKind(w io.Writer, kind string, results map[cell][]sample) {
	var per []float64
	for c, ss := range results {
		if c.kind != kind {
			continue
		}
		for _, s := range ss {
			if !math.IsNaN(s.redisBytesPerEvent) {
				per = append(per, s.redisBytesPerEvent)
			}
		}
	}
	if len(per) == 0 {
		return
	}
	lo, hi := minMax(per)
	fmt.Fprintf(w, "\n%s: Redis used_memory per million events %.0f MB (median; %.0f-%.0f)\n", kind, median(per), lo, hi)
	// Against the in-memory receiver, round by round (samples are appended
	// in round order).
	for c, ss := range results {
		mem := results[cell{kindCamara, c.conns, c.mode}]
		if c.kind != kind || len(mem) != len(ss) {
			continue
		}
		var rps, cpu []float64
		for i := range ss {
			rps = append(rps, ss[i].rps/mem[i].rps)
			cpu = append(cpu, float64(mem[i].cpuPerReq)/float64(ss[i].cpuPerReq))
		}
		fmt.Fprintf(w, "%s / %s, %d conns, %s: req/s ratio %.2f (median of %d rounds; %s), in-memory CPU/req over %s CPU/req %.2f\n",
			kind, kindCamara, c.conns, c.mode, median(rps), len(rps), fmtRatios(rps), kind, median(cpu))
	}
}

func fmtRatios(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, " ")
}
