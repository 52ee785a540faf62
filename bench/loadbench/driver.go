package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/bench/anchors"
)

// config is the driver's configuration, from its flags.
type config struct {
	duration    time.Duration
	warmup      time.Duration
	rounds      int
	conns       []int
	modes       []string
	kinds       []string
	maxRequests int64
	serverCPU   int
	clientCPU   int
	profileDir  string
	flood       bool
	floodConns  int
	floodReqs   int
	dedupMem    bool
	traceparent bool
	baseline    string // the kind ratios are taken to
	out         io.Writer
}

func parseFlags(args []string, out io.Writer) (*config, error) {
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.SetOutput(out)
	cfg := &config{out: out}
	fs.DurationVar(&cfg.duration, "d", 2*time.Second, "measured duration of each server in each round and configuration")
	fs.DurationVar(&cfg.warmup, "warmup", 0, "unmeasured load before each measurement (0: d/8, at least 200ms)")
	fs.IntVar(&cfg.rounds, "rounds", 5, "rounds; the servers' order rotates from round to round")
	connsFlag := fs.String("conns", "32,256", "comma-separated connection counts")
	modesFlag := fs.String("modes", "structured,binary", "comma-separated modes: structured, binary")
	kindsFlag := fs.String("kinds", strings.Join(allKinds, ","), "comma-separated server kinds; bare is always included; also "+anchors.CamarahooksNoDedup+" (deduplication off), "+strings.Join(redisKinds, ", ")+" (which start a redis-server on the client's core), and "+strings.Join(anchors.OtelKinds, ", "))
	fs.Int64Var(&cfg.maxRequests, "max-requests", 2_000_000, "upper bound on the requests of one measurement")
	fs.IntVar(&cfg.serverCPU, "server-cpu", 0, "core the servers are pinned to with taskset (-1: no pinning)")
	fs.IntVar(&cfg.clientCPU, "client-cpu", 1, "core the driver and its client are pinned to with taskset (-1: no pinning)")
	fs.StringVar(&cfg.profileDir, "profile", "", "write CPU and allocs profiles of every server into this directory (<kind>.cpu.pprof, <kind>.allocs.pprof)")
	fs.StringVar(&cfg.baseline, "baseline", kindBare, "server kind the ratios are taken to, one of -kinds (camarahooks, say, for what tracing or Redis adds to the receiver)")
	fs.BoolVar(&cfg.traceparent, "traceparent", false, "every event carries a CloudEvents traceparent extension (for the traced kinds' links)")
	quick := fs.Bool("quick", false, "one round of 1s per server and configuration (for tests)")
	fs.BoolVar(&cfg.flood, "flood", false, "run the memory flood instead of the load table")
	fs.IntVar(&cfg.floodConns, "flood-conns", 64, "connections of the memory flood")
	fs.IntVar(&cfg.floodReqs, "flood-requests", 8, "requests per connection and phase of the memory flood")
	fs.BoolVar(&cfg.dedupMem, "dedupmem", false, "measure the in-memory dedup store with 1M distinct ids instead of the load table")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *quick {
		cfg.rounds, cfg.duration = 1, time.Second
	}
	if cfg.warmup == 0 {
		cfg.warmup = max(cfg.duration/8, 200*time.Millisecond)
	}
	for _, s := range strings.Split(*connsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4096 {
			return nil, fmt.Errorf("bad -conns entry %q (1..4096)", s)
		}
		cfg.conns = append(cfg.conns, n)
	}
	for _, m := range strings.Split(*modesFlag, ",") {
		m = strings.TrimSpace(m)
		if m != modeStructured && m != modeBinary {
			return nil, fmt.Errorf("bad -modes entry %q", m)
		}
		cfg.modes = append(cfg.modes, m)
	}
	cfg.kinds = []string{kindBare}
	for _, k := range strings.Split(*kindsFlag, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(knownKinds, k) && !slices.Contains(anchors.OtelKinds, k) {
			return nil, fmt.Errorf("bad -kinds entry %q", k)
		}
		if !slices.Contains(cfg.kinds, k) {
			cfg.kinds = append(cfg.kinds, k)
		}
	}
	if !slices.Contains(cfg.kinds, cfg.baseline) {
		return nil, fmt.Errorf("-baseline %q is not one of the -kinds", cfg.baseline)
	}
	if cfg.rounds < 1 || cfg.rounds > 100 || cfg.duration <= 0 || cfg.duration > time.Minute || cfg.maxRequests < 1 {
		return nil, errors.New("-rounds must be 1..100, -d in (0, 1m], -max-requests positive")
	}
	if cfg.floodConns < 1 || cfg.floodConns > 1024 || cfg.floodReqs < 1 || cfg.floodReqs > 1000 {
		return nil, errors.New("-flood-conns must be 1..1024, -flood-requests 1..1000")
	}
	if _, err := exec.LookPath("taskset"); err != nil || machineCores() < 2 {
		cfg.serverCPU, cfg.clientCPU = -1, -1
	}
	return cfg, nil
}

// sample is one measurement: one server, configuration and round.
type sample struct {
	rps       float64
	p50, p99  time.Duration
	cpuPerReq time.Duration
	allocsPer float64 // NaN when not measurable
	requests  int64
	stranded  int64   // requests sdk-go left unanswered when the load stopped
	ratio     float64 // rps / the baseline's rps in the same round and configuration
	// redisBytesPerEvent is Redis's used_memory growth per answered event,
	// in MB per million (kind camarahooks-redis; NaN for the others).
	redisBytesPerEvent float64
	p99Ratio           float64 // p99 / the baseline's p99
	roundIndex         int
}

type cell struct {
	kind  string
	conns int
	mode  string
}

// runLoad runs the rounds and prints the table.
func runLoad(cfg *config) error {
	w := cfg.out
	start := time.Now()
	fmt.Fprintf(w, "loadbench: %d round(s) x %v (+%v warm-up), conns %v, modes %v, servers %v\n",
		cfg.rounds, cfg.duration, cfg.warmup, cfg.conns, cfg.modes, cfg.kinds)
	fmt.Fprintf(w, "machine: %s; servers GOMAXPROCS=1 %s; client %s; load average at start %s\n",
		machine(), pinText(cfg.serverCPU), pinText(cfg.clientCPU), loadavg())
	servers := map[string]*server{}
	var rds *redisProc
	if slices.ContainsFunc(cfg.kinds, needsRedis) {
		var err error
		// The durable kind measures Redis as it is deployed for it, with
		// AOF (appendfsync everysec); the others' Redis keeps nothing on
		// disk, unless they run beside it.
		aof := slices.Contains(cfg.kinds, kindDurable)
		if rds, err = startRedis(cfg.clientCPU, aof); err != nil {
			return err
		}
		defer rds.stop()
		fmt.Fprintf(w, "redis-server for the Redis kinds: %s, AOF %v\n", pinText(cfg.clientCPU), aof)
	}
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for _, k := range cfg.kinds {
		var extra []string
		if cfg.profileDir != "" {
			if err := os.MkdirAll(cfg.profileDir, 0o755); err != nil {
				return err
			}
			extra = []string{"-cpuprofile", filepath.Join(cfg.profileDir, k+".cpu.pprof"),
				"-memprofile", filepath.Join(cfg.profileDir, k+".allocs.pprof")}
		}
		if needsRedis(k) {
			extra = append(extra, "-redis", rds.addr)
		}
		s, err := startServer(k, cfg.serverCPU, extra...)
		if err != nil {
			return err
		}
		if needsRedis(k) {
			s.redis = rds
		}
		servers[k] = s
	}
	templates := map[string]template{}
	for _, m := range cfg.modes {
		t, err := newTemplate(m, 0, false, cfg.traceparent)
		if err != nil {
			return err
		}
		templates[m] = t
	}
	ids := &idGen{nonce: uint32(time.Now().UnixNano())}
	results := map[cell][]sample{}
	for round := range cfg.rounds {
		for ci, conns := range cfg.conns {
			for mi, mode := range cfg.modes {
				order := rotate(cfg.kinds, round+ci+mi)
				byKind := map[string]sample{}
				for _, k := range order {
					s, err := measure(servers[k], conns, templates[mode], ids, cfg)
					if err != nil {
						return fmt.Errorf("round %d, %s, %d conns, %s: %w", round+1, k, conns, mode, err)
					}
					s.roundIndex = round
					byKind[k] = s
				}
				base := byKind[cfg.baseline]
				for _, k := range cfg.kinds {
					s := byKind[k]
					s.ratio = s.rps / base.rps
					s.p99Ratio = float64(s.p99) / float64(base.p99)
					c := cell{k, conns, mode}
					results[c] = append(results[c], s)
				}
			}
		}
		fmt.Fprintf(w, "round %d/%d done at %v, load average %s\n", round+1, cfg.rounds, time.Since(start).Round(time.Second), loadavg())
	}
	fmt.Fprintln(w)
	printTable(w, cfg, results)
	printRedis(w, rds, results)
	if rds != nil && servers[kindDurable] != nil {
		if err := rds.reportDurable(w, servers[kindDurable]); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\ntotal %v; load average at end %s\n", time.Since(start).Round(time.Second), loadavg())
	return nil
}

// measure warms up, then measures one server in one configuration. The
// server's CPU time and allocation count are read when the warm-up ends and
// once every answer is in.
func measure(s *server, conns int, tmpl template, ids *idGen, cfg *config) (sample, error) {
	lc, err := dialClient(s.addr, conns, tmpl, ids)
	if err != nil {
		return sample{}, err
	}
	defer lc.close()
	var (
		m0, m1  uint64
		c0, c1  time.Duration
		r0, r1  int64
		markErr error
	)
	r, err := lc.run(cfg.warmup, cfg.duration, cfg.maxRequests, func() {
		c0, markErr = s.cpuTime()
		if markErr == nil {
			m0, markErr = s.mallocs()
		}
		if markErr == nil && s.redis != nil {
			r0, markErr = s.redis.usedMemory()
		}
	})
	if err != nil {
		return sample{}, err
	}
	if markErr != nil {
		return sample{}, markErr
	}
	if c1, err = s.cpuTime(); err != nil {
		return sample{}, err
	}
	if m1, err = s.mallocs(); err != nil {
		return sample{}, err
	}
	redisPer := math.NaN()
	if s.redis != nil {
		if r1, err = s.redis.usedMemory(); err != nil {
			return sample{}, err
		}
	}
	if r.non2xx > 0 {
		return sample{}, fmt.Errorf("%d non-2xx answers, first %d", r.non2xx, r.firstBad)
	}
	if r.stranded > 0 && s.kind != kindSDK {
		return sample{}, fmt.Errorf("%d request(s) unanswered %v after the load stopped", r.stranded, strandGrace)
	}
	if r.requests == 0 {
		return sample{}, errors.New("no request completed")
	}
	slices.Sort(r.latencies)
	answered := max(r.answered, 1)
	if s.redis != nil {
		redisPer = float64(r1-r0) / float64(answered) // bytes per event = MB per million
	}
	return sample{
		redisBytesPerEvent: redisPer,
		rps:                float64(r.requests) / cfg.duration.Seconds(),
		p50:                percentile(r.latencies, 50),
		p99:                percentile(r.latencies, 99),
		cpuPerReq:          (c1 - c0) / time.Duration(answered),
		allocsPer:          float64(m1-m0) / float64(answered),
		requests:           r.requests,
		stranded:           r.stranded,
	}, nil
}

func rotate(xs []string, n int) []string {
	n %= len(xs)
	return append(slices.Clone(xs[n:]), xs[:n]...)
}

func printTable(w io.Writer, cfg *config, results map[cell][]sample) {
	fmt.Fprintf(w, "| server | conns | mode | req/s (median) | req/s (min-max) | ratio to %s | p50 | p99 | p99 / %s p99 | server CPU/req | allocs/req |\n", cfg.baseline, cfg.baseline)
	fmt.Fprintf(w, "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, conns := range cfg.conns {
		for _, mode := range cfg.modes {
			for _, k := range cfg.kinds {
				ss := results[cell{k, conns, mode}]
				var rps, ratio, p50, p99, p99r, cpu, allocs []float64
				for _, s := range ss {
					rps = append(rps, s.rps)
					ratio = append(ratio, s.ratio)
					p50 = append(p50, float64(s.p50))
					p99 = append(p99, float64(s.p99))
					p99r = append(p99r, s.p99Ratio)
					cpu = append(cpu, float64(s.cpuPerReq))
					allocs = append(allocs, s.allocsPer)
				}
				lo, hi := minMax(rps)
				fmt.Fprintf(w, "| %s | %d | %s | %.0f | %.0f-%.0f | %.2f | %s | %s | %.2f | %s | %s |\n",
					k, conns, mode, median(rps), lo, hi, median(ratio),
					fmtDur(median(p50)), fmtDur(median(p99)), median(p99r), fmtDur(median(cpu)), fmtAllocs(median(allocs)))
			}
		}
	}
	var stranded int64
	for c, ss := range results {
		if c.kind == kindSDK {
			for _, s := range ss {
				stranded += s.stranded
			}
		}
	}
	if stranded > 0 {
		fmt.Fprintf(w, "\nsdk: %d request(s) in all were never answered once the load stopped (cloudevents/sdk-go#1224: a consumer goroutine of NewHTTPReceiveHandler exits on its own request's context, so the handler serves each request only when the next one arrives); they are left out of its latencies.\n", stranded)
	}
	fmt.Fprintf(w, "\nreq/s, p50, p99, CPU/req, allocs/req: median over %d round(s); ratios: median of the per-round ratios to %s in the same round and configuration.\n", cfg.rounds, cfg.baseline)
}

func fmtDur(ns float64) string {
	if math.IsNaN(ns) {
		return "-"
	}
	d := time.Duration(ns)
	if d >= 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	if d >= time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}

func fmtAllocs(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.1f", x)
}

func pinText(cpu int) string {
	if cpu < 0 {
		return "not pinned"
	}
	return fmt.Sprintf("pinned to core %d (taskset -c %d)", cpu, cpu)
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// machine describes the machine: cores, CPU model, Go version.
func machine() string {
	model := "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%d cores, %s, %s %s/%s", machineCores(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// machineCores counts the machine's processors in /proc/cpuinfo, not the
// ones this process may run on (a pinned driver may run on one).
func machineCores() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.NumCPU()
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "processor") {
			n++
		}
	}
	return max(n, 1)
}
