#!/usr/bin/env bash
# bench/run.sh: rulebot under load beside the bots Pyrus users write by hand
# (Node's http module, alone and in cluster mode; Flask under gunicorn) and a
# server that only checks the signature (the ceiling). See bench/README.md.
#
#   bench/run.sh              # about 8 minutes on 2 cores
#   BENCH_DURATION=3 BENCH_ROUNDS=1 bench/run.sh   # a quick look
#
# Everything listens on 127.0.0.1 only; every wrk run is bounded by -d; every
# process started here is stopped by its pid on exit, on failure and on
# Ctrl-C. The report is printed and kept in $OUT/report.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVERS=(sigonly rulebot node node-cluster flask)
BOTS=(rulebot node node-cluster flask) # the ones whose answers must agree

# post SERVER SIG BODY OUTFILE posts a signed body and prints the HTTP status.
post() {
	curl -sS -o "$4" -w '%{http_code}' --max-time 10 -X POST \
		-H "X-Pyrus-Sig: $2" -H 'Content-Type: application/json' -H 'User-Agent: Pyrus-Bot-4' \
		--data-binary @"$3" "http://$HOST:${PORTOF[$1]}/"
}

# check_answers posts every body of check.list to every server and compares
# each answer, byte for byte, with what `rulebot eval` prints for that body.
# The signature-only server must answer 200 with an empty body. A wrong
# signature must get 401 everywhere.
check_answers() {
	local when=$1 dir="$OUT/answers/$1" n=0 bad=0 sig path name want got code server
	mkdir -p "$dir"
	while read -r sig path; do
		n=$((n + 1))
		name=$(printf '%02d-%s' "$n" "$(basename "$path" .json)")
		"$OUT/rulebot" eval --rules "$ROOT/bench/rules.yaml" "$path" >"$dir/$name.eval" 2>/dev/null
		for server in "${SERVERS[@]}"; do
			want="$dir/$name.eval"
			[[ $server == sigonly ]] && want=/dev/null
			got="$dir/$name.$server"
			code=$(post "$server" "$sig" "$path" "$got")
			if [[ $code != 200 ]] || ! cmp -s "$want" "$got"; then
				bad=1
				echo "bench: $server answers $(basename "$path") differently (HTTP $code)" >&2
				echo "  want: $(head -c 600 "$want")" >&2
				echo "  got:  $(head -c 600 "$got")" >&2
			fi
		done
	done <"$OUT/check.list"

	read -r sig path <"$OUT/check.list"
	sig="${sig:0:39}$([[ ${sig:39} == 0 ]] && echo 1 || echo 0)"
	for server in "${SERVERS[@]}"; do
		code=$(post "$server" "$sig" "$path" /dev/null)
		[[ $code == 401 ]] || { bad=1; echo "bench: $server answers a wrong signature with $code" >&2; }
	done
	((bad == 0)) || die "the servers do not give the same answers ($when); see $dir"
	say "identical answers from ${BOTS[*]} to $n signed bodies; 401 to a wrong signature ($when)"
}

# rounds LOAD LIST [THINK_MS] runs ROUNDS timed runs per server, alternating
# servers and starting each round with a different one.
rounds() {
	local set=$1 list=$2 think=${3:-0} r i k server out
	for ((r = 1; r <= ROUNDS; r++)); do
		for ((i = 0; i < ${#SERVERS[@]}; i++)); do
			k=$(((i + r - 1) % ${#SERVERS[@]}))
			server=${SERVERS[k]}
			out="$OUT/wrk/$set-$r-$server.txt"
			say "load $set, round $r/$ROUNDS: $server (${DURATION}s)"
			timed "$server" "$list" "$DURATION" "$out" "$think"
			printf '%s\t%s\t%s\t%s\n' run "$set" "$server" "$(result "$out")" \
				>>"$OUT/results.tsv"
		done
	done
	for server in "${SERVERS[@]}"; do
		printf '%s\t%s\t%s\t%s\n' rss "$set" "$server" "$(rss_kb "${PID[$server]}")" >>"$OUT/results.tsv"
	done
}

machine() {
	{
		echo "cores	$CORES"
		if [[ $PIN == 1 ]]; then
			echo "pinned	wrk on core 0, every server on cores 1-$((CORES - 1)) (BENCH_PIN=1)"
		fi
		echo "cpu	$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
		echo "memory	$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
		echo "os	$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
		echo "go	$(go version | cut -d' ' -f3)"
		echo "node	$(node --version)"
		echo "python	$("$PY" -c 'import platform; print(platform.python_version())')"
		echo "flask	$("$PY" -c 'import importlib.metadata as m; print(m.version("flask"))')"
		echo "gunicorn	$("$PY" -m gunicorn --version 2>&1 | awk '{print $NF}' | tr -d ')')"
		echo "wrk	$(wrk --version 2>&1 | head -1 | awk '{print $2}')"
		echo "load	$CONNECTIONS connections, wrk -t$THREADS, ${DURATION}s per run, rounds: $ROUNDS"
		echo "equal load	each connection waits ${THINK_MS} ms between an answer and its next request, wrk -t$THINK_THREADS"
	} >"$OUT/machine.tsv"
}

# rulebot_log sums up rulebot's log by level, then drops it: a run writes
# one line per webhook, hundreds of megabytes in all.
rulebot_log() {
	local log="$OUT/logs/$1.log"
	[[ -f $log ]] || return 0
	{
		echo "$1: $(wc -l <"$log") log lines: $(grep -o '"level":"[A-Z]*"' "$log" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
		grep -v '"level":"INFO"' "$log" | grep -o '"msg":"[^"]*"' | sort | uniq -c | head -10 || true
	} >>"$OUT/logs/summary.txt"
	[[ ${BENCH_KEEP_LOGS:-0} == 1 ]] || : >"$log"
}

main() {
	need_tools
	OUT=${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/rulebot-bench.XXXXXX")}
	mkdir -p "$OUT/logs" "$OUT/wrk"
	: >"$OUT/results.tsv"
	say "output in $OUT"
	build
	generate
	machine

	start_sigonly
	start_rulebot rulebot "$((PORT + 1))" "$ROOT/bench/rules.yaml"
	start_node
	start_node_cluster
	start_flask
	check_answers before

	local server
	for server in "${SERVERS[@]}"; do
		say "warm-up: $server (${WARMUP}s)"
		load "$server" "$OUT/largest.list" "$WARMUP" "$OUT/wrk/warmup-$server.txt"
	done
	rounds largest "$OUT/largest.list"
	rounds mix "$OUT/mix.list"
	rounds steady "$OUT/largest.list" "$THINK_MS"
	check_answers after
	stop_all
	rulebot_log rulebot

	say "rulebot with 1,000 rules"
	start_rulebot rulebot-1000 "$((PORT + 5))" "$OUT/rules1000.yaml"
	printf '%s\t%s\t%s\t%s\n' rss idle rulebot-1000 "$(rss_kb "${PID[rulebot-1000]}")" >>"$OUT/results.tsv"
	load rulebot-1000 "$OUT/largest.list" "$WARMUP" "$OUT/wrk/warmup-rulebot-1000.txt"
	timed rulebot-1000 "$OUT/largest.list" "$DURATION" "$OUT/wrk/rules1000.txt"
	printf '%s\t%s\t%s\t%s\n' run rules1000 rulebot-1000 "$(result "$OUT/wrk/rules1000.txt")" \
		>>"$OUT/results.tsv"
	printf '%s\t%s\t%s\t%s\n' rss rules1000 rulebot-1000 "$(rss_kb "${PID[rulebot-1000]}")" >>"$OUT/results.tsv"
	printf '%s\t%s\t%s\t%s\n' hwm rules1000 rulebot-1000 \
		"$(awk '/^VmHWM:/ {print $2}' "/proc/${PID[rulebot-1000]}/status")" >>"$OUT/results.tsv"
	stop_all
	rulebot_log rulebot-1000

	"$PY" "$BENCH/report.py" "$OUT" | tee "$OUT/report.md"
}

main "$@"
