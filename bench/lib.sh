# bench/lib.sh: what run.sh and profile.sh share: settings, tools, and
# starting and stopping servers on 127.0.0.1. Sourced, never run.

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
export PATH="/usr/local/go/bin:$PATH"

DURATION=${BENCH_DURATION:-10}       # seconds of each timed wrk run
WARMUP=${BENCH_WARMUP:-3}            # seconds of the untimed run before the first round
ROUNDS=${BENCH_ROUNDS:-2}            # timed runs per server and load
CONNECTIONS=${BENCH_CONNECTIONS:-16}
# wrk's threads are chosen by what they add to the latency of the server
# that does least, the signature-only one (bench/README.md, "Latency").
# Flat out, one: wrk shares the cores with the server it loads, and a
# second thread adds little or no throughput while it takes CPU from that
# server (the ceiling's p99: 4.9 ms with one, 10.8 with two).
# At equal load the cores are mostly idle, and two threads wait less on
# their own work (p50 0.27 ms with two, 0.41 with one).
THREADS=${BENCH_THREADS:-1}
THINK_THREADS=${BENCH_THINK_THREADS:-2}
THINK_MS=${BENCH_THINK_MS:-5}        # wait between answer and request in the equal-load runs
PORT=${BENCH_PORT:-28080}            # the servers use PORT .. PORT+5
PY=${BENCH_PYTHON:-/usr/bin/python3} # the Python that has Debian's Flask and gunicorn
INSTALL=${BENCH_INSTALL:-1}          # 0: only say what to install
QUIET_MAX=${BENCH_QUIET_MAX:-10}     # % of a core other processes may take during a run
QUIET_BUDGET=${BENCH_QUIET_BUDGET:-240} # seconds in all to wait for other work to calm down
CORES=$(nproc)
# BENCH_PIN=1 puts wrk on core 0 and every server on the other cores, so
# that the load generator does not compete with the server it measures:
# the fair way to compare latencies. By default all share every core.
PIN=${BENCH_PIN:-0}
SERVER_CORES=$CORES
ON_SERVER_CORES=()
ON_WRK_CORE=()
if [[ $PIN == 1 ]]; then
	((CORES >= 2)) || { echo "bench: BENCH_PIN=1 needs at least 2 cores" >&2; exit 1; }
	SERVER_CORES=$((CORES - 1))
	ON_SERVER_CORES=(taskset -c "1-$((CORES - 1))")
	ON_WRK_CORE=(taskset -c 0)
fi
KEY=bench-security-key-0123456789abcdef
HOST=127.0.0.1

die() {
	echo "bench: $*" >&2
	exit 1
}

say() { echo "== $*" >&2; }

# need_tools checks the tools and installs what is missing from Debian's
# packages (as root), or names the packages to install.
need_tools() {
	local missing=()
	command -v go >/dev/null || die "Go is missing: install Go 1.26 into /usr/local/go"
	command -v curl >/dev/null || missing+=(curl)
	command -v wrk >/dev/null || missing+=(wrk)
	command -v node >/dev/null || missing+=(nodejs)
	command -v ss >/dev/null || missing+=(iproute2)
	command -v ps >/dev/null || missing+=(procps)
	[[ $PIN != 1 ]] || command -v taskset >/dev/null || missing+=(util-linux)
	[[ -x $PY ]] || missing+=(python3)
	if [[ -x $PY ]]; then
		"$PY" -c 'import flask' 2>/dev/null || missing+=(python3-flask)
		"$PY" -c 'import gunicorn' 2>/dev/null || missing+=(gunicorn)
	fi
	((${#missing[@]} == 0)) && return 0

	local cmd="apt-get install -y ${missing[*]}"
	if [[ $INSTALL != 1 || $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
		die "missing tools; run: apt-get update && $cmd"
	fi
	say "installing: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $cmd >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd >/dev/null; } ||
		die "could not install; run: apt-get update && $cmd"
}

# build compiles rulebot and the signature-only server into $OUT.
build() {
	say "building rulebot and the signature-only server"
	(cd "$ROOT" && go build -o "$OUT/rulebot" ./cmd/rulebot && go build -o "$OUT/sigonly" ./bench/sigonly)
}

# generate writes the signed bodies and the 1,000-rule file (see gen.py).
generate() {
	"$PY" "$BENCH/gen.py" "$ROOT" "$OUT" "$KEY"
	"$OUT/rulebot" check --rules "$ROOT/bench/rules.yaml" >/dev/null
	"$OUT/rulebot" check --rules "$OUT/rules1000.yaml" >/dev/null
}

# --- processes -------------------------------------------------------------

declare -a STARTED=() # "pid:starttime" of every process started here
declare -A PID=()     # server name -> pid
declare -A PORTOF=()  # server name -> port

# starttime is the start time of a live process (nothing for one that has
# ended), so that a pid that the system has reused is never signalled.
starttime() {
	local stat rest
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	rest=${stat##*) } # the fields after the command name, from the state on
	read -r -a rest <<<"$rest"
	[[ ${rest[0]} == Z ]] || echo "${rest[19]}"
}

track() { STARTED+=("$1:$(starttime "$1")"); }

same_process() {
	local pid=${1%%:*} start=${1#*:}
	[[ -n $start && $(starttime "$pid") == "$start" ]]
}

descendants() {
	local p
	for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$p"
		descendants "$p"
	done
}

# stop ends a process and its children: TERM, then KILL after 5 seconds.
stop() {
	local entry=$1 pid=${1%%:*} kids=() k
	same_process "$entry" || return 0
	for k in $(descendants "$pid"); do kids+=("$k:$(starttime "$k")"); done
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		same_process "$entry" || break
		sleep 0.1
	done
	if same_process "$entry"; then kill -KILL "$pid" 2>/dev/null || true; fi
	for k in "${kids[@]}"; do
		if same_process "$k"; then kill -KILL "${k%%:*}" 2>/dev/null || true; fi
	done
	wait "$pid" 2>/dev/null || true
}

stop_all() {
	local i
	for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop "${STARTED[i]}"; done
	STARTED=()
}

# stop_server ends one named server.
stop_server() {
	local pid=${PID[$1]} e
	for e in "${STARTED[@]}"; do
		[[ ${e%%:*} == "$pid" ]] && stop "$e"
	done
	unset "PID[$1]"
}

on_exit() {
	set +e
	trap - EXIT INT TERM
	stop_all
}
trap on_exit EXIT
trap 'exit 130' INT TERM

port_free() {
	[[ -z $(ss -Htln "sport = :$1") ]] || die "port $1 is in use; choose other ports with BENCH_PORT"
}

# start NAME PORT COMMAND... starts a server on 127.0.0.1:PORT with its output
# in $OUT/logs/NAME.log and waits until it answers.
start() {
	local name=$1 port=$2
	shift 2
	port_free "$port"
	PYRUS_SECURITY_KEY=$KEY PORT=$port "${ON_SERVER_CORES[@]}" "$@" >"$OUT/logs/$name.log" 2>&1 &
	local pid=$!
	track "$pid"
	PID[$name]=$pid
	PORTOF[$name]=$port
	wait_ready "$name"
}

# wait_ready waits until the server answers an unsigned POST with 401.
wait_ready() {
	local name=$1 pid=${PID[$1]} port=${PORTOF[$1]} code
	for _ in $(seq 150); do
		kill -0 "$pid" 2>/dev/null || { tail -5 "$OUT/logs/$name.log" >&2; die "$name did not start"; }
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -X POST "http://$HOST:$port/" || true)
		if [[ $code == 401 ]]; then
			sleep 0.5 # let every worker of a multi-process server come up
			return 0
		fi
		sleep 0.1
	done
	die "$name did not answer on $HOST:$port"
}

start_rulebot() { # NAME PORT RULES
	start "$1" "$2" "$OUT/rulebot" serve --rules "$3" --addr "$HOST:$2" --log-format json
}
start_sigonly() { start sigonly "$PORT" "$OUT/sigonly" -addr "$HOST:$PORT"; }
start_node() { start node "$((PORT + 2))" node "$BENCH/node/bot.js"; }
start_node_cluster() { start node-cluster "$((PORT + 3))" node "$BENCH/node/bot.js" --cluster; }
start_flask() {
	start flask "$((PORT + 4))" env PYTHONDONTWRITEBYTECODE=1 "$PY" -m gunicorn --chdir "$BENCH/flask" -w "$SERVER_CORES" \
		-b "$HOST:$((PORT + 4))" app:app
}

# rss_kb is the resident memory of a server with all its processes, in KiB.
rss_kb() {
	local pid=$1 total=0 p v
	for p in "$pid" $(descendants "$pid"); do
		v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null)
		total=$((total + ${v:-0}))
	done
	echo "$total"
}

# load NAME LIST SECONDS OUTFILE [THINK_MS] runs wrk against a server for
# SECONDS, rotating through the signed bodies of LIST; with THINK_MS, each
# connection waits that long between an answer and its next request.
# OUTFILE.others gets the CPU seconds that processes other than this
# script's used meanwhile.
load() {
	local name=$1 list=$2 seconds=$3 outfile=$4 think=${5:-0} threads=$THREADS
	((think == 0)) || threads=$THINK_THREADS
	"$PY" "$BENCH/cpu.py" snapshot >"$outfile.cpu"
	"${ON_WRK_CORE[@]}" wrk -t"$threads" -c"$CONNECTIONS" -d"${seconds}s" --timeout 5s \
		-s "$BENCH/rotate.lua" "http://$HOST:${PORTOF[$name]}/" -- "$list" "$think" \
		>"$outfile" 2>&1 &
	local pid=$!
	track "$pid"
	wait "$pid" || { cat "$outfile" >&2; die "wrk failed against $name"; }
	"$PY" "$BENCH/cpu.py" others "$outfile.cpu" $$ >"$outfile.others"
	rm -f "$outfile.cpu"
}

# others_pct OUTFILE SECONDS is the CPU other processes took during the run
# that wrote OUTFILE, in whole % of one core.
others_pct() { awk -v s="$(cat "$1.others")" -v d="$2" 'BEGIN {printf "%d", 100 * s / d + 0.5}'; }

# quiet waits, within what is left of QUIET_BUDGET, until other processes
# take less than QUIET_MAX % of a core over two seconds: on a shared
# machine, someone else's build would otherwise be measured too.
quiet() {
	local pct
	while ((QUIET_BUDGET > 0)); do
		"$PY" "$BENCH/cpu.py" snapshot >"$OUT/quiet.cpu"
		sleep 2
		pct=$("$PY" "$BENCH/cpu.py" others "$OUT/quiet.cpu" $$ 2)
		((pct < QUIET_MAX)) && return 0
		QUIET_BUDGET=$((QUIET_BUDGET - 2))
		say "other processes take $pct % of a core; waiting (${QUIET_BUDGET}s of waiting left)"
	done
	return 0
}

# timed NAME LIST SECONDS OUTFILE [THINK_MS] is load, waiting for quiet first and
# running again (twice at most) when other work disturbed the run.
timed() {
	local try pct
	for try in 1 2 3; do
		quiet
		load "$@"
		pct=$(others_pct "$4" "$3")
		((pct <= QUIET_MAX || QUIET_BUDGET <= 0 || try == 3)) && return 0
		say "other processes took $pct % of a core during the run: once more"
	done
}

# result OUTFILE prints the figures of a wrk run as one JSON object, with
# the CPU seconds others used during it.
result() {
	local json
	json=$(grep '^RESULT ' "$1" | cut -c8-)
	echo "${json%\}},\"others_cpu_s\":$(cat "$1.others")}"
}
