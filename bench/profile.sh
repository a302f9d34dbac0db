#!/usr/bin/env bash
# bench/profile.sh: where rulebot's time goes, two ways.
#
# 1. Under load: rulebot serves the bench rules on 127.0.0.1 while wrk sends
#    the largest fixture's signed variants, and `perf record` samples the
#    rulebot process (Go keeps frame pointers, so perf sees whole stacks;
#    rulebot itself needs no change). perf comes from Debian's linux-perf.
# 2. In process: the Go benchmarks of bench/gobench with -benchmem (bytes
#    and allocations per webhook, per stage) and a CPU and memory profile
#    read with go tool pprof.
#
#   bench/profile.sh            # about a minute; the report is in $OUT/profile.txt
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# tidy drops perf's comments, blank lines and empty columns.
tidy() { grep -v -e '^#' -e '^$' | sed -e 's/[ -]*$//' | cut -c1-150; }

profile_under_load() {
	command -v perf >/dev/null || {
		[[ $INSTALL == 1 && $(id -u) == 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get install -y linux-perf >/dev/null
	} || die "perf is missing; run: apt-get install -y linux-perf"

	start_rulebot rulebot "$((PORT + 1))" "$ROOT/bench/rules.yaml"
	say "warm-up (${WARMUP}s)"
	load rulebot "$OUT/largest.list" "$WARMUP" "$OUT/wrk-warmup.txt"

	say "perf record of rulebot under load (${DURATION}s)"
	"${ON_WRK_CORE[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((DURATION + 2))s" --timeout 5s -s "$BENCH/rotate.lua" \
		"http://$HOST:$((PORT + 1))/" -- "$OUT/largest.list" >"$OUT/wrk-profile.txt" 2>&1 &
	local wrk=$!
	track "$wrk"
	sleep 1
	perf record -q -F 499 -g -p "${PID[rulebot]}" -o "$OUT/perf.data" -- sleep "$DURATION" 2>/dev/null
	wait "$wrk" || true
	stop_all

	{
		echo "### rulebot under load: perf, self time by function"
		perf report -i "$OUT/perf.data" --no-children --sort symbol --stdio --percent-limit 0.7 -g none 2>/dev/null |
			tidy | head -45 || true
		echo
		echo "### rulebot under load: perf, time including callees"
		perf report -i "$OUT/perf.data" --children --sort symbol --stdio --percent-limit 3 -g none 2>/dev/null |
			tidy | head -60 || true
		echo
	} >>"$OUT/profile.txt"
}

profile_in_process() {
	say "go test -bench with -benchmem"
	(cd "$ROOT" && go test -run '^$' -bench . -benchmem -benchtime "${BENCH_GOTIME:-2s}" ./bench/gobench) \
		>"$OUT/gobench.txt" 2>&1 || { cat "$OUT/gobench.txt" >&2; die "go test -bench failed"; }
	say "one webhook with the bench rules, with -cpuprofile and -memprofile"
	(cd "$ROOT" && go test -run '^$' -bench 'Webhook/rules=bench$' -benchtime "${BENCH_GOTIME:-2s}" \
		-cpuprofile "$OUT/cpu.out" -memprofile "$OUT/mem.out" -o "$OUT/gobench.test" ./bench/gobench) \
		>>"$OUT/gobench.txt" 2>&1 || { cat "$OUT/gobench.txt" >&2; die "go test -bench failed"; }
	{
		echo "### In process (bench/gobench): time and allocations per webhook and per stage"
		grep '^Benchmark' "$OUT/gobench.txt"
		echo
		echo "### In process: CPU of one webhook with the bench rules, including callees"
		go tool pprof -top -cum -nodecount 45 "$OUT/gobench.test" "$OUT/cpu.out" 2>/dev/null | sed 1,5d || true
		echo
		echo "### In process: where the allocations come from (objects)"
		go tool pprof -sample_index=alloc_objects -top -nodecount 25 "$OUT/gobench.test" "$OUT/mem.out" 2>/dev/null | sed 1,5d || true
		echo
	} >>"$OUT/profile.txt"
}

main() {
	need_tools
	OUT=${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/rulebot-profile.XXXXXX")}
	mkdir -p "$OUT/logs"
	: >"$OUT/profile.txt"
	say "output in $OUT"
	build
	generate
	profile_under_load
	profile_in_process
	cat "$OUT/profile.txt"
	say "perf data: perf report -i $OUT/perf.data; pprof: go tool pprof $OUT/gobench.test $OUT/cpu.out"
}

main "$@"
