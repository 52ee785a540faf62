package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// floodPhase is one flood of one fresh server.
type floodPhase struct {
	name    string
	bodyLen int  // bytes of the body
	chunked bool // Transfer-Encoding: chunked instead of Content-Length
	want    int  // 204 for bodies at the cap, 413 over it
}

var floodPhases = []floodPhase{
	{"1 MiB bodies (at the cap), Content-Length", maxBody, false, 204},
	{"2 MiB bodies (over the cap), Content-Length", 2 * maxBody, false, 413},
	{"2 MiB bodies (over the cap), chunked", 2 * maxBody, true, 413},
}

// floodKinds are the servers flooded; bare is a reference, the bounds are
// checked for camarahooks.
var floodKinds = []string{kindBare, kindCamara, kindCamaraEcho}

// runFlood floods fresh servers with maximum-size and over-cap bodies and
// compares their peak RSS (VmHWM) with cap x connections + 64 MiB.
func runFlood(cfg *config) (bool, error) {
	w := cfg.out
	bound := int64(maxBody)*int64(cfg.floodConns) + 64<<20
	fmt.Fprintf(w, "flood: %d connections x %d requests per phase, each phase on a fresh server (GOMAXPROCS=1, %s); bound: peak RSS < cap x connections + 64 MiB = %d MiB, and for 413s: growth over idle RSS <= cap per connection\n",
		cfg.floodConns, cfg.floodReqs, pinText(cfg.serverCPU), bound>>20)
	fmt.Fprintf(w, "\n| server | phase | answers | idle RSS | peak RSS (VmHWM) | growth per connection | bound | result |\n|---|---|---|---:|---:|---:|---:|---|\n")
	pass := true
	for _, k := range floodKinds {
		for _, ph := range floodPhases {
			tmpl, err := newTemplate(modeStructured, ph.bodyLen, ph.chunked, false)
			if err != nil {
				return false, err
			}
			s, err := startServer(k, cfg.serverCPU)
			if err != nil {
				return false, err
			}
			idle, err := procStatusKB(s.cmd.Process.Pid, "VmRSS")
			if err != nil {
				s.stop()
				return false, err
			}
			n, err := flood(s.addr, cfg.floodConns, cfg.floodReqs, tmpl, ph.want)
			if err != nil {
				s.stop()
				return false, fmt.Errorf("flood %s, %s: %w", k, ph.name, err)
			}
			hwm, err := procStatusKB(s.cmd.Process.Pid, "VmHWM")
			s.stop()
			if err != nil {
				return false, err
			}
			peak, growth := hwm<<10, (hwm-idle)<<10/int64(cfg.floodConns)
			ok := peak < bound && (ph.want != 413 || growth <= maxBody)
			verdict := "pass"
			switch {
			case k == kindBare:
				verdict = "reference"
			case !ok:
				verdict, pass = "FAIL", false
			}
			fmt.Fprintf(w, "| %s | %s | %d x %d | %.1f MiB | %.1f MiB | %.2f MiB | %d MiB | %s |\n",
				k, ph.name, n, ph.want, mib(idle<<10), mib(peak), mib(growth), bound>>20, verdict)
		}
	}
	fmt.Fprintln(w)
	return pass, nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// flood sends reqs requests on each of conns connections at once and checks
// that every answer has status want. A request's body is written while its
// answer is read, since a server may answer 413 before reading the body; a
// connection the server closes is dialled again. It returns the number of
// answers.
func flood(addr string, conns, reqs int, tmpl template, want int) (int, error) {
	ids := &idGen{nonce: uint32(time.Now().UnixNano())}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		answers  int
	)
	deadline := time.Now().Add(2 * time.Minute)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := append([]byte(nil), tmpl.buf...)
			var c net.Conn
			var br *bufio.Reader
			fail := func(err error) {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
			defer func() {
				if c != nil {
					c.Close()
				}
			}()
			for range reqs {
				if c == nil {
					var err error
					if c, err = net.DialTimeout("tcp", addr, 5*time.Second); err != nil {
						fail(err)
						return
					}
					c.SetDeadline(deadline) //nolint:errcheck // bounds the flood
					br = bufio.NewReader(c)
				}
				ids.put(req[tmpl.idAt : tmpl.idAt+idWidth])
				wrote := make(chan error, 1)
				go func(c net.Conn) { _, err := c.Write(req); wrote <- err }(c)
				res, err := readResponse(br)
				if err != nil {
					c.Close()
					<-wrote
					fail(err)
					return
				}
				if res.status != want {
					c.Close()
					<-wrote
					fail(fmt.Errorf("status %d, want %d", res.status, want))
					return
				}
				mu.Lock()
				answers++
				mu.Unlock()
				if res.close {
					c.Close()
					<-wrote // fails or not: the server has answered
					c = nil
					continue
				}
				if err := <-wrote; err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return answers, firstErr
}

// runDedupMem fills dedup.Memory with 1,000,000 distinct keys, built as the
// receiver builds them from the benchmark's events, once with the default
// MaxEntries and once with MaxEntries 1,000,000, and compares the live heap
// with the documented cost per entry.
func runDedupMem(cfg *config) (bool, error) {
	w := cfg.out
	const n = 1_000_000
	nonce := uint32(time.Now().UnixNano())
	// The receiver's key: subscription id, source and id, NUL-separated;
	// these events carry no subscription id.
	key := func(i int) string {
		return "\x00" + evSource + "\x00" + fmt.Sprintf("%08x-%016x", nonce, i)
	}
	keyLen := len(key(0))
	issueBound := 112 + keyLen
	fmt.Fprintf(w, "dedupmem: %d distinct keys of %d bytes (source and id as the receiver keys these events), Reserve then Commit each, as the receiver does; live heap after GC\n", n, keyLen)
	fmt.Fprintf(w, "bounds per entry: the issue's ~112 + len(key) = %d bytes (pass/fail); package dedup documents about %d bytes whatever the key (shown as a ratio)\n\n", issueBound, docPerEntry)
	fmt.Fprintf(w, "| MaxEntries | keys inserted | entries held | live heap | bytes per entry | / documented %d | vs 112 + len(key) = %d |\n|---:|---:|---:|---:|---:|---:|---|\n", docPerEntry, issueBound)
	pass := true
	verdict := func(ok bool) string {
		if ok {
			return "pass"
		}
		pass = false
		return "FAIL"
	}
	for _, maxEntries := range []int{0, n} {
		heap0 := liveHeap()
		m, err := dedup.NewMemory(dedup.MemoryConfig{MaxEntries: maxEntries})
		if err != nil {
			return false, err
		}
		ctx := context.Background()
		for i := range n {
			k := key(i)
			st, err := m.Reserve(ctx, k, time.Minute)
			if err != nil {
				return false, err
			}
			if st != dedup.Reserved {
				return false, fmt.Errorf("key %d: Reserve = %v, want Reserved", i, st)
			}
			if err := m.Commit(ctx, k, 24*time.Hour); err != nil {
				return false, err
			}
		}
		heap1 := liveHeap()
		held := m.Len()
		runtime.KeepAlive(m)
		limit := maxEntries
		if limit == 0 {
			limit = dedup.DefaultMaxEntries
		}
		per := float64(heap1-heap0) / float64(held)
		label := strconv.Itoa(limit)
		if maxEntries == 0 {
			label += " (default)"
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.1f MiB | %.0f | %.2f | %s |\n", label, n, held, mib(int64(heap1-heap0)), per,
			per/docPerEntry, verdict(held <= limit && per <= float64(issueBound)))
	}
	fmt.Fprintln(w)
	return pass, nil
}

// docPerEntry is the cost of an entry that package dedup documents
// ("about 70 bytes whatever the key's length").
const docPerEntry = 70

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
