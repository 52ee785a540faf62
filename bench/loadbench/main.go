// Command loadbench measures camarahooks' receiver under HTTP load against
// a bare net/http handler, echo v4 and sdk-go, on loopback, and the memory
// bounds of its body cap and in-memory dedup store.
//
//	go run ./bench/loadbench            # the load table (about 4 minutes)
//	go run ./bench/loadbench -quick     # one round of 1s
//	go run ./bench/loadbench -flood     # peak RSS under 1 MiB and over-cap bodies
//	go run ./bench/loadbench -dedupmem  # 1M distinct ids in dedup.Memory
//	go run ./bench/loadbench serve -kind camarahooks -addr 127.0.0.1:8080
//
// The driver starts each server as "loadbench serve" (its own executable)
// with GOMAXPROCS=1, pinned to core 0 with taskset when available, and runs
// itself and its closed-loop client pinned to core 1. Every child is killed
// when the driver exits, fails or is interrupted; a server also exits when
// its standard input ends.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
)

// pinnedEnv marks a driver that has already re-executed itself under
// taskset.
const pinnedEnv = "LOADBENCH_PINNED"

func main() {
	if os.Getenv(roleEnv) == "serve" || (len(os.Args) > 1 && os.Args[1] == "serve") {
		args := os.Args[1:]
		if len(args) > 0 && args[0] == "serve" {
			args = args[1:]
		}
		if err := serveMain(args); err != nil {
			fmt.Fprintln(os.Stderr, "loadbench serve:", err)
			os.Exit(1)
		}
		return
	}
	cfg, err := parseFlags(os.Args[1:], os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(2)
	}
	if cfg.clientCPU >= 0 && os.Getenv(pinnedEnv) == "" {
		pinSelf(cfg.clientCPU) // returns only if it could not
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		s := <-sig
		killChildren()
		fmt.Fprintln(os.Stderr, "loadbench: interrupted by", s)
		os.Exit(130)
	}()
	err = run(cfg)
	killChildren()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench: FAIL:", err)
		os.Exit(1)
	}
}

// pinSelf re-executes the driver under "taskset -c cpu", so that it and its
// client run on that core only (Go then sizes GOMAXPROCS to it).
func pinSelf(cpu int) {
	ts, err := exec.LookPath("taskset")
	if err != nil {
		return
	}
	self, err := os.Executable()
	if err != nil {
		return
	}
	argv := append([]string{"taskset", "-c", strconv.Itoa(cpu), self}, os.Args[1:]...)
	err = syscall.Exec(ts, argv, append(os.Environ(), pinnedEnv+"=1"))
	fmt.Fprintln(os.Stderr, "loadbench: could not pin the driver:", err)
}

// run runs what cfg asks for: the load table, or the memory checks.
func run(cfg *config) error {
	if !cfg.flood && !cfg.dedupMem {
		return runLoad(cfg)
	}
	ok := true
	if cfg.flood {
		pass, err := runFlood(cfg)
		if err != nil {
			return err
		}
		ok = ok && pass
	}
	if cfg.dedupMem {
		pass, err := runDedupMem(cfg)
		if err != nil {
			return err
		}
		ok = ok && pass
	}
	if !ok {
		return fmt.Errorf("a memory bound was exceeded (see above)")
	}
	return nil
}
