package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/bench/anchors"
)

// Server kinds, in table order, and the settings every server shares; the
// handlers themselves are package anchors', so that the in-process
// benchmarks measure the same baselines.
const (
	kindBare        = anchors.Bare
	kindEcho        = anchors.Echo
	kindSDK         = anchors.SDK
	kindCamara      = anchors.Camarahooks
	kindCamaraEcho  = anchors.CamarahooksEcho
	benchToken      = "loadbench-sink-token-3f9c2a7d41b8e605" // not a secret: loopback only
	maxBody         = anchors.MaxBody
	benchPath       = anchors.Path
	structuredMedia = "application/cloudevents+json"
)

// kindCamaraRedis deduplicates on the Redis the driver starts; it is
// measured only when -kinds names it. kindCamaraRedisSync awaits every
// commit.
const (
	kindCamaraRedis     = anchors.CamarahooksRedis
	kindCamaraRedisSync = anchors.CamarahooksRedisSyncCommit
)

var allKinds = anchors.Kinds

// kindCamaraRueidis is the comparison store on rueidis (see anchors).
const kindCamaraRueidis = anchors.CamarahooksRueidis

// knownKinds are the kinds -kinds accepts: allKinds and the Redis ones.
var knownKinds = append(slices.Clone(allKinds), append(slices.Clone(redisKinds), anchors.CamarahooksNoDedup)...)

// redisKinds run on the driver's Redis; dedupKinds are those of them that
// keep a dedup key per event.
var (
	redisKinds = append(slices.Clone(dedupKinds), kindDurable)
	dedupKinds = []string{kindCamaraRedis, kindCamaraRedisSync, kindCamaraRueidis}
)

// needsRedis reports whether kind runs on the driver's Redis.
func needsRedis(kind string) bool {
	return slices.Contains(redisKinds, kind)
}

func newHandler(kind, redisAddr string) (http.Handler, error) {
	if needsRedis(kind) && redisAddr == "" {
		return nil, fmt.Errorf("kind %s needs -redis", kind)
	}
	switch kind {
	case kindCamaraRedis, kindCamaraRedisSync:
		// RESP2, as redisdedup.Config.Client advises and examples/backend does.
		return anchors.NewRedis(kind, benchToken, redis.NewClient(&redis.Options{Addr: redisAddr, Protocol: 2}), "loadbench:"+kind+":")
	case kindCamaraRueidis:
		return anchors.NewRueidis(benchToken, redisAddr, "loadbench-rueidis:")
	case kindDurable:
		return durableHandler(benchToken, redisAddr) // durable.go
	}
	return anchors.New(kind, benchToken)
}

// serveMain is the "serve" subcommand: it listens on a loopback address,
// prints "addr <host:port>" on stdout, then answers commands read from
// stdin, one a line, outside the measured intervals:
//
//	mem   prints "mem <Mallocs> <TotalAlloc>" (runtime.MemStats)
//	quit  (or end of input) writes the profiles and exits
//
// Exiting at the end of stdin means the server dies with its driver.
func serveMain(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	kind := fs.String("kind", kindBare, "server kind: "+strings.Join(knownKinds, "|"))
	redisAddr := fs.String("redis", "", "Redis address (host:port) of kinds "+strings.Join(redisKinds, ", "))
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole serve run to this file")
	memProfile := fs.String("memprofile", "", "write an allocs profile to this file at exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("serve: %q is not a loopback address", *addr)
	}
	h, err := newHandler(*kind, *redisAddr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln) //nolint:errcheck // ends with Close below
	fmt.Printf("addr %s\n", ln.Addr())
	in := bufio.NewScanner(os.Stdin)
loop:
	for in.Scan() {
		switch in.Text() {
		case "mem":
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Printf("mem %d %d\n", ms.Mallocs, ms.TotalAlloc)
		case "quit":
			break loop
		}
	}
	srv.Close()
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		return pprof.Lookup("allocs").WriteTo(f, 0)
	}
	return nil
}
