#!/bin/sh
# instructions.sh counts the instructions one iteration of a Go benchmark
# executes, with valgrind's callgrind: steadier than time on a shared
# machine, and blind to cache misses and system calls (read it beside the
# load benchmark, not instead of it). It runs the benchmark for N1 and N2
# iterations and prints the difference over N2-N1, so that the test
# binary's start-up and the benchmark's set-up cancel out. The collector
# is off (GOGC=off) unless GOGC is set: its cycles fall differently from
# run to run, and moved the count by a thousand; allocation itself is
# counted, marking and sweeping are not.
#
#   bench/instructions.sh PKG BENCH [N1 N2]
#   bench/instructions.sh ./bench/anchors '^BenchmarkServeQoDBinary$/^camarahooks$'
set -eu
pkg=$1 bench=$2 n1=${3:-5000} n2=${4:-15000}
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" "$pkg"
count() {
	# Async preemption's signals upset valgrind; the count needs none.
	GOGC=${GOGC:-off} GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$bin" -test.run '^$' -test.bench "$bench" -test.benchtime "$1x" -test.cpu 1 2>&1 |
		sed -n 's/.*Collected : //p'
}
a=$(count "$n1")
b=$(count "$n2")
[ -n "$a" ] && [ -n "$b" ] || { echo "instructions.sh: valgrind reported no count" >&2; exit 1; }
echo "$bench: $(( (b - a) / (n2 - n1) )) instructions an iteration"
