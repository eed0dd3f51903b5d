#!/usr/bin/env bash
# Request-path cost of the telemetry starter against the bare application and two peers, in one run:
#
#   bare         the demo service without the starter and without actuator (benchmarks/starter/demo-bare)
#   starter      the demo service as shipped, everything on: JSON logs, Prometheus metrics, 10 % trace sampling
#                exported over OTLP, Sentry DSN; OTLP and Sentry point at a local sink that accepts and discards
#   boot-native  the demo with Boot's own actuator + Prometheus registry + OpenTelemetry tracing at 10 % to the
#                same sink + logging.structured.format.console=logstash (benchmarks/starter/demo-boot-native)
#   otel-agent   the bare jar with the OpenTelemetry Java agent 2.33.1: traces at 10 % to the sink, metrics on a
#                Prometheus endpoint, no OTLP logs (the application's own console lines stay)
#
# A variant named KIND.N (e.g. bare.2) is one more JVM of that kind: `BENCH_VARIANTS="bare bare.2"` measures the
# method itself (the ratio should be 1).
#
# Per-round mode (BENCH_MODE=rounds, the default): fresh JVMs alternate between variants (the order rotates every
# round). Per variant and round: start-up to the first response; wrk -t2 -c32 for the warm-up, then for the measured
# throughput and CPU (process CPU time from /proc/<pid>/stat ÷ requests, and per thread group, user and system time
# apart: <round>-<variant>-threads.txt); then latency at a fixed rate with
# FixedRateLoad (open loop, measured from each request's scheduled start, since wrk has no rate option; its own
# first 5 s and one priming request per connection are sent but not measured, so the client's warm-up is not in
# p99); RSS, metaspace, loaded classes; and lines written ÷ requests (request log lines on standard output ÷ GET
# requests served; the starter's drop counter besides).
#
# Interleaved mode (BENCH_MODE=interleaved): for throughput and CPU per request on a host whose speed drifts within
# minutes. All variants are started (in turn; start-up measured as above) and warmed up once, in turn, each on its
# own ports; then every cycle gives each variant one short wrk burst, the order rotating per cycle, preceded by an
# unmeasured lead-in of BENCH_LEADIN seconds (default 1) that wakes the idle JVM's request threads. CPU per request
# per burst from /proc/<pid>/stat; the ratios to bare are taken per cycle. Every JVM's CPU is read around every
# burst, and its GC pauses and JIT compilations are logged (-Xlog, <variant>-vm.log), so the summary shows what the
# idle JVMs did during the others' bursts (idle.txt). RSS, metaspace, classes, lines written ÷ requests and the
# drop counter are taken once, at the end. No fixed-rate latency and no JFR in this mode (fresh JVMs: per-round).
#
#   benchmarks/starter/run.sh [rounds] [warmup-seconds] [measure-seconds]                      (defaults: 3 90 30)
#   BENCH_MODE=interleaved benchmarks/starter/run.sh [cycles] [warmup-seconds] [burst-seconds]  (defaults: 12 90 8)
#   benchmarks/starter/run.sh --summarize benchmarks/starter/target/<run>/results.tsv
#
# Needs: wrk, a JDK (jstat), python3, curl; builds the jars and the harness first (BENCH_NO_BUILD=1: not),
# network for the agent jar the first time. Results go to benchmarks/starter/target/<timestamp>/; the summary
# (medians, ranges, median and range of the per-round ratios to bare; results.py) is printed as a Markdown table.
# Environment: BENCH_VARIANTS (default all four), BENCH_RATE (fixed-rate requests/s, default 500), BENCH_HEAP
# (default 256m), BENCH_JFR=1 (per-round mode: a JFR recording of an extra saturated phase after the measured ones,
# <round>-<variant>.jfr, execution samples only: cpu-samples.jfc), BENCH_STARTER_BEFORE_JAR (a demo jar built from
# an earlier starter, run as variant "starter-before" with the starter's arguments). Ports: BENCH_PORT (default
# 18080); variant i of BENCH_VARIANTS serves on BENCH_PORT + 2i, its management port is BENCH_MGMT_PORT + 2i
# (default BENCH_PORT + 1), the sink listens on BENCH_SINK_PORT (default BENCH_PORT + 10).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE=${BENCH_MODE:-rounds}
case "$MODE" in
  rounds) ROUNDS=${1:-3}; WARMUP=${2:-90}; MEASURE=${3:-30} ;;
  interleaved) ROUNDS=${1:-12}; WARMUP=${2:-90}; MEASURE=${3:-8} ;;
  *) echo "run.sh: BENCH_MODE is rounds or interleaved, not $MODE" >&2; exit 2 ;;
esac
LEADIN=${BENCH_LEADIN:-1}
HEAP=${BENCH_HEAP:-256m}
RATE=${BENCH_RATE:-500}
RATE_CONNECTIONS=16
PORT=${BENCH_PORT:-18080}
MGMT_PORT=${BENCH_MGMT_PORT:-$((PORT + 1))}
SINK_PORT=${BENCH_SINK_PORT:-$((PORT + 10))}
read -r -a VARIANTS <<< "${BENCH_VARIANTS:-bare starter boot-native otel-agent}"
AGENT_VERSION=2.33.1
OUT="benchmarks/starter/target/$(date -u +%Y%m%dT%H%M%SZ)"

summarize() { python3 benchmarks/starter/results.py summarize "$1"; }

if [ "${1:-}" = "--summarize" ]; then
  summarize "$2"
  exit 0
fi
if [ "$MODE" = interleaved ] && [ "${BENCH_JFR:-0}" = 1 ]; then
  echo "run.sh: BENCH_JFR records a phase of a fresh JVM: per-round mode only" >&2; exit 2
fi
last=$(( 2 * (${#VARIANTS[@]} - 1) ))
for p in $PORT $MGMT_PORT; do
  if [ "$SINK_PORT" -ge "$p" ] && [ "$SINK_PORT" -le $((p + last)) ]; then
    echo "run.sh: the sink port $SINK_PORT is one of the variants' ports ($PORT.., $MGMT_PORT.. in steps of 2): set BENCH_SINK_PORT" >&2
    exit 2
  fi
done

for tool in wrk curl python3 jstat java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (wrk: apt-get install -y wrk)" >&2; exit 2; }
done

HARNESS=benchmarks/starter/harness/target/classes
source benchmarks/starter/variants.sh
build_demo_jars
AGENT=benchmarks/starter/target/agent/opentelemetry-javaagent-$AGENT_VERSION.jar
if [ ! -f "$AGENT" ]; then
  ./mvnw -q -B dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$AGENT_VERSION \
    -DoutputDirectory=benchmarks/starter/target/agent
fi
mkdir -p "$OUT"

SINK_PID=""
APP_PIDS=()   # every application JVM still running, stopped on exit
stop_pid() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  local pid
  for pid in "${APP_PIDS[@]}"; do stop_pid "$pid"; done
  stop_pid "$SINK_PID"
}
trap cleanup EXIT

java -Xmx64m -cp "$HARNESS" io.sightline.benchmarks.starter.DiscardingSink "$SINK_PORT" > "$OUT/sink.log" 2>&1 &
SINK_PID=$!
SINK="http://127.0.0.1:$SINK_PORT"

index_of() {
  local i
  for i in "${!VARIANTS[@]}"; do [ "${VARIANTS[$i]}" = "$1" ] && { echo "$i"; return; }; done
  echo "run.sh: $1 is not in BENCH_VARIANTS" >&2; exit 2
}
app_port() { echo $((PORT + 2 * $(index_of "$1"))); }
mgmt_port() { echo $((MGMT_PORT + 2 * $(index_of "$1"))); }
url_of() { echo "http://127.0.0.1:$(app_port "$1")/api/users/bench/links"; }

launch() {   # launch VARIANT LOG [JVM option...]: starts the variant's JVM in the background, sets APP_PID
  local variant=$1 log=$2; shift 2
  local kind=${variant%%.*} mgmt
  mgmt=$(mgmt_port "$variant")
  local jvm=(-Xms"$HEAP" -Xmx"$HEAP" "$@")
  variant_args "$kind" "$(app_port "$variant")" "$mgmt" "$SINK_PORT"
  # Spring's request stacks are deeper than JFR's default 64 frames; the breakdown needs the filters at the bottom.
  if [ "${BENCH_JFR:-0}" = 1 ]; then jvm+=(-XX:FlightRecorderOptions:stackdepth=256); fi
  case "$kind" in
    bare) java "${jvm[@]}" -jar "$BARE_JAR" "${ARGS[@]}" > "$log" 2>&1 & ;;
    starter) java "${jvm[@]}" -jar "$STARTER_JAR" "${ARGS[@]}" > "$log" 2>&1 & ;;
    starter-before) java "${jvm[@]}" -jar "$BENCH_STARTER_BEFORE_JAR" "${ARGS[@]}" > "$log" 2>&1 & ;;
    boot-native) java "${jvm[@]}" -jar "$NATIVE_JAR" "${ARGS[@]}" > "$log" 2>&1 & ;;
    otel-agent)
      OTEL_SERVICE_NAME=demo-service OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 \
      OTEL_EXPORTER_OTLP_ENDPOINT="$SINK" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
      OTEL_METRICS_EXPORTER=prometheus OTEL_EXPORTER_PROMETHEUS_HOST=127.0.0.1 \
      OTEL_EXPORTER_PROMETHEUS_PORT="$mgmt" OTEL_LOGS_EXPORTER=none \
      java "${jvm[@]}" -javaagent:"$AGENT" -jar "$BARE_JAR" "${ARGS[@]}" > "$log" 2>&1 & ;;
  esac
  APP_PID=$!
  APP_PIDS+=("$APP_PID")
}

start_variant() {   # start_variant VARIANT LOG [JVM option...]: launches, waits for the first response, seeds 20 links;
  local variant=$1 log=$2 url start i   # sets APP_PID and STARTUP_S
  url=$(url_of "$variant")
  start=$(date +%s.%N)
  launch "$@"
  for _ in $(seq 1 2400); do   # at most 120 s
    curl -fs -o /dev/null "$url" && break
    kill -0 "$APP_PID" 2>/dev/null || { echo "run.sh: $variant exited during start-up, see $log" >&2; exit 1; }
    sleep 0.05
  done
  STARTUP_S=$(echo "$(date +%s.%N) - $start" | bc)
  curl -fs -o /dev/null "$url" || { echo "run.sh: $variant did not answer within 120 s, see $log" >&2; exit 1; }
  for i in $(seq 1 20); do   # ~2.8 KB of JSON per listing
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"url\":\"https://example.org/articles/$i\",\"title\":\"Article number $i about observability\"}" "$url"
  done
}

finish_variant() {   # finish_variant VARIANT PID LOG: stops the JVM, sets STATS=(rss metaspace classes dropped lines)
  local variant=$1 pid=$2 log=$3 rss metaspace classes dropped="-" lines
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
  metaspace=$(jstat -gc "$pid" | awk 'NR==1 {for (i=1;i<=NF;i++) h[i]=$i} NR==2 {for (i=1;i<=NF;i++) if (h[i]=="MU") printf "%.1f", $i/1024}')
  classes=$(jstat -class "$pid" | awk 'NR==2 {print $1}')
  case "${variant%%.*}" in
    starter|starter-before)
      dropped=$(curl -fs "http://127.0.0.1:$(mgmt_port "$variant")/actuator/prometheus" \
        | awk '/^sightline_log_events_dropped_total/ {sum += $2} END {print sum + 0}') ;;
  esac
  stop_pid "$pid"
  local running=() p
  for p in "${APP_PIDS[@]}"; do [ "$p" = "$pid" ] || running+=("$p"); done
  APP_PIDS=("${running[@]}")
  # Request log lines written (every variant's RequestLogFilter line has this text), then drop the large log.
  lines=$(grep -c 'bench/links -> 200' "$log" || true)
  { head -200 "$log"; echo "[... $(wc -l < "$log") lines in total ...]"; tail -50 "$log"; } > "$log.excerpt"
  rm -f "$log"
  STATS=("$rss" "$metaspace" "$classes" "$dropped" "$lines")
}

# cpu_ticks PID/stat...: per process "user+system/system" clock ticks. The system part is kept apart because on this
# paravirtualised host a system call costs several times what it does on bare metal: bare spends ~45 % of its CPU there.
cpu_ticks() { awk '{printf "%s/%s ", $14 + $15, $15} END {print ""}' "${@/#//proc/}"; }
# thread_ticks PID: one line per thread: id, name, user and system clock ticks (a thread's name may hold spaces)
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    sed -E 's/^([0-9]+) \((.*)\) ([^ ]+ ){11}([0-9]+) ([0-9]+) .*/\1\t\2\t\4\t\5/' "$t/stat" 2>/dev/null || true
  done
}
rotated() {   # rotated N: the variants, the first N mod count moved to the end
  local shift_by=$(( $1 % ${#VARIANTS[@]} ))
  echo "${VARIANTS[@]:$shift_by}" "${VARIANTS[@]:0:$shift_by}"
}
load1() { cut -d' ' -f1 /proc/loadavg; }

run_variant() {
  local round=$1 variant=$2 log="$OUT/$1-$2.log" url start end
  url=$(url_of "$variant")
  start_variant "$variant" "$log"
  wrk -t2 -c32 -d"${WARMUP}s" "$url" > "$OUT/$round-$variant-warmup.txt"
  local ticks_before ticks_after hz
  hz=$(getconf CLK_TCK)
  ticks_before=$(cpu_ticks "$APP_PID/stat")
  thread_ticks "$APP_PID" > "$OUT/$round-$variant-threads-before.tsv"
  wrk -t2 -c32 -d"${MEASURE}s" "$url" > "$OUT/$round-$variant-throughput.txt"
  ticks_after=$(cpu_ticks "$APP_PID/stat")
  thread_ticks "$APP_PID" > "$OUT/$round-$variant-threads-after.tsv"
  python3 benchmarks/starter/results.py threads "$OUT/$round-$variant-threads-before.tsv" \
    "$OUT/$round-$variant-threads-after.tsv" "$hz" "$OUT/$round-$variant-throughput.txt" > "$OUT/$round-$variant-threads.txt"
  java -Xmx64m -cp "$HARNESS" io.sightline.benchmarks.starter.FixedRateLoad "$url" "$RATE" "$MEASURE" \
    "$RATE_CONNECTIONS" > "$OUT/$round-$variant-fixed-rate.txt"
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    # A phase of its own, after the measured ones: JFR's profile settings cut the bare demo's throughput to a
    # third here (13.8k -> 4.1k req/s) and the agent's hardly at all, so a recording during the measured phase
    # makes every ratio to bare wrong. Execution samples only (cpu-samples.jfc), every millisecond.
    jcmd "$APP_PID" JFR.start name=bench settings="$PWD/benchmarks/starter/cpu-samples.jfc" duration="${MEASURE}s" \
      filename="$PWD/$OUT/$round-$variant.jfr" > /dev/null
    wrk -t2 -c32 -d"${MEASURE}s" "$url" > "$OUT/$round-$variant-profiled.txt"
  fi
  finish_variant "$variant" "$APP_PID" "$log"
  python3 benchmarks/starter/results.py round "$round" "$variant" 0 "$STARTUP_S" $ticks_before $ticks_after "$hz" \
      "${STATS[0]}" "${STATS[1]}" "${STATS[2]}" "${STATS[4]}" "${STATS[3]}" "$(load1)" "$OUT/$round-$variant-warmup.txt" \
      "$OUT/$round-$variant-throughput.txt" "$OUT/$round-$variant-fixed-rate.txt" "$OUT/$round-$variant-profiled.txt" \
      >> "$OUT/results.tsv"
  tail -1 "$OUT/results.tsv" >&2
}

run_rounds() {
  printf 'round\tvariant\tstartup_s\treq_per_s\tcpu_us_per_req\tsys_us_per_req\tp50_ms\tp99_ms\trss_mib\tmetaspace_mib\tclasses\tlines_per_req\tdropped\tload1\n' \
    > "$OUT/results.tsv"
  local round variant
  for round in $(seq 1 "$ROUNDS"); do
    # Rotate which variant goes first, so drift on the shared machine favours none.
    for variant in $(rotated $((round - 1))); do run_variant "$round" "$variant"; done
  done
}

run_interleaved() {
  local pids=() startups=() i v cycle position
  getconf CLK_TCK > "$OUT/clk_tck"
  for i in "${!VARIANTS[@]}"; do
    v=${VARIANTS[$i]}
    # GC pauses and JIT compilations with wall-clock milliseconds: which of them fall into another JVM's burst
    start_variant "$v" "$OUT/$v.log" -Xlog:gc,jit+compilation=debug:file="$OUT/$v-vm.log":timemillis,tags
    pids[$i]=$APP_PID; startups[$i]=$STARTUP_S
    echo "run.sh: $v up in ${STARTUP_S}s (pid $APP_PID, port $(app_port "$v"))" >&2
  done
  for v in "${VARIANTS[@]}"; do
    wrk -t2 -c32 -d"${WARMUP}s" "$(url_of "$v")" > "$OUT/warmup-$v.txt"
  done
  { printf 'cycle\tposition\tvariant\tstart_s\tend_s\tload1'; printf '\tticks_%s' "${VARIANTS[@]}"; echo; } > "$OUT/bursts.tsv"
  local stat_files=() before after
  for i in "${!VARIANTS[@]}"; do stat_files+=("${pids[$i]}/stat"); done
  for cycle in $(seq 1 "$ROUNDS"); do
    position=0
    for v in $(rotated $((cycle - 1))); do
      position=$((position + 1))
      if [ "$LEADIN" != 0 ]; then wrk -t2 -c32 -d"${LEADIN}s" "$(url_of "$v")" > "$OUT/$cycle-$v-leadin.txt"; fi
      local t0 t1
      read -r -a before <<< "$(cpu_ticks "${stat_files[@]}")"
      t0=$(date +%s.%N)
      wrk -t2 -c32 -d"${MEASURE}s" "$(url_of "$v")" > "$OUT/$cycle-$v-burst.txt"
      t1=$(date +%s.%N)
      read -r -a after <<< "$(cpu_ticks "${stat_files[@]}")"
      { printf '%s\t%s\t%s\t%s\t%s\t%s' "$cycle" "$position" "$v" "$t0" "$t1" "$(load1)"
        for i in "${!VARIANTS[@]}"; do printf '\t%s:%s' "${before[$i]}" "${after[$i]}"; done; echo; } >> "$OUT/bursts.tsv"
    done
    echo "run.sh: cycle $cycle of $ROUNDS done (load $(load1))" >&2
  done
  printf 'variant\tstartup_s\trss_mib\tmetaspace_mib\tclasses\tdropped\tlines\tload1\n' > "$OUT/end.tsv"
  for i in "${!VARIANTS[@]}"; do
    v=${VARIANTS[$i]}
    finish_variant "$v" "${pids[$i]}" "$OUT/$v.log"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "${startups[$i]}" "${STATS[@]}" "$(load1)" >> "$OUT/end.tsv"
  done
  python3 benchmarks/starter/results.py interleaved "$OUT"
}

if [ "$MODE" = interleaved ]; then run_interleaved; else run_rounds; fi
summarize "$OUT/results.tsv"
echo "raw results: $OUT" >&2
