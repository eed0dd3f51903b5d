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
# Fresh JVMs alternate between variants (the order rotates every round). Per variant and round: start-up to the
# first response; wrk -t2 -c32 for the warm-up, then for the measured throughput and CPU (process CPU time from
# /proc/<pid>/stat ÷ requests); then latency at a fixed rate with FixedRateLoad (open loop, measured from each
# request's scheduled start, since wrk has no rate option; its own first 5 s and one priming request per connection
# are sent but not measured, so the client's warm-up is not in p99); RSS, metaspace, loaded classes; and lines written ÷
# requests (request log lines on standard output ÷ GET requests served; the starter's drop counter besides).
#
#   benchmarks/starter/run.sh [rounds] [warmup-seconds] [measure-seconds]     (defaults: 3 90 30)
#   benchmarks/starter/run.sh --summarize benchmarks/starter/target/<run>/results.tsv
#
# Needs: wrk, a JDK (jstat), python3, curl; builds the jars and the harness first (BENCH_NO_BUILD=1: not),
# network for the agent jar the first time. Results go to benchmarks/starter/target/<timestamp>/; the summary
# (medians, ranges, median of the per-round ratios to bare) is printed as a Markdown table. Environment: BENCH_VARIANTS (default all four),
# BENCH_RATE (fixed-rate requests/s, default 500), BENCH_HEAP (default 256m), BENCH_JFR=1 (a JFR recording
# of an extra saturated phase after the measured ones, <round>-<variant>.jfr, execution samples only:
# cpu-samples.jfc), BENCH_STARTER_BEFORE_JAR (a demo jar
# built from an earlier starter, run as variant "starter-before" with the starter's arguments).
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${1:-3}
WARMUP=${2:-90}
MEASURE=${3:-30}
HEAP=${BENCH_HEAP:-256m}
RATE=${BENCH_RATE:-500}
RATE_CONNECTIONS=16
PORT=${BENCH_PORT:-18080}
MGMT_PORT=${BENCH_MGMT_PORT:-18081}
SINK_PORT=${BENCH_SINK_PORT:-18090}
read -r -a VARIANTS <<< "${BENCH_VARIANTS:-bare starter boot-native otel-agent}"
AGENT_VERSION=2.33.1
OUT="benchmarks/starter/target/$(date -u +%Y%m%dT%H%M%SZ)"

summarize() {
python3 - "$1" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
variants = list(dict.fromkeys(r["variant"] for r in rows))
metrics = [("req_per_s", "throughput (req/s)"), ("cpu_us_per_req", "CPU µs/request"),
           ("p50_ms", "p50 at fixed rate (ms)"), ("p99_ms", "p99 at fixed rate (ms)"),
           ("startup_s", "start-up to first response (s)"), ("rss_mib", "RSS (MiB)"),
           ("metaspace_mib", "metaspace used (MiB)"), ("classes", "loaded classes"),
           ("lines_per_req", "lines written ÷ requests")]
def value(r, m):
    return float(r[m]) if r[m] not in ("", "-") else None
num = lambda x: f"{x:,.0f}" if x >= 1000 else f"{x:.3g}"
print("| metric | " + " | ".join(f"{v}: median (range)" for v in variants) + " | "
      + " | ".join(f"{v}/bare" for v in variants if v != "bare") + " |")
print("|---" * (1 + len(variants) + len([v for v in variants if v != "bare"])) + "|")
for key, label in metrics:
    cells, ratios = [], []
    for v in variants:
        xs = [value(r, key) for r in rows if r["variant"] == v and value(r, key) is not None]
        cells.append(f"{num(statistics.median(xs))} ({num(min(xs))}–{num(max(xs))})" if xs else "–")
    for v in variants:
        if v == "bare":
            continue
        per_round = []
        for rnd in sorted(set(r["round"] for r in rows)):
            a = [value(r, key) for r in rows if r["round"] == rnd and r["variant"] == v]
            b = [value(r, key) for r in rows if r["round"] == rnd and r["variant"] == "bare"]
            if a and b and a[0] is not None and b[0]:
                per_round.append(a[0] / b[0])
        ratios.append(f"{statistics.median(per_round):.3f}" if per_round else "–")
    print(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
drops = [(r["variant"], r["dropped"]) for r in rows if r["dropped"] not in ("", "-")]
if drops:
    print("\nstarter drop counter at the end of each run: " + ", ".join(d for _, d in drops))
loads = [r["load1"] for r in rows]
print(f"load average (1 min) at the end of each run: {', '.join(loads)}")
PY
}

if [ "${1:-}" = "--summarize" ]; then
  summarize "$2"
  exit 0
fi

for tool in wrk curl python3 jstat java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (wrk: apt-get install -y wrk)" >&2; exit 2; }
done

jar_of() { ls "$1"/target/*.jar 2>/dev/null | grep -v -e original -e sources -e tests | head -1 || true; }
HARNESS=benchmarks/starter/harness/target/classes
# built every time (about a minute): jars or harness classes left from an older checkout would be measured
# silently (a stale harness once broke a run's parsing); BENCH_NO_BUILD=1 measures what is there
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B -pl examples/demo-service,benchmarks/starter/harness,benchmarks/starter/demo-bare,benchmarks/starter/demo-boot-native \
    -am package -DskipTests -Dspotless.check.skip=true
fi
STARTER_JAR=$(jar_of examples/demo-service)
BARE_JAR=$(jar_of benchmarks/starter/demo-bare)
NATIVE_JAR=$(jar_of benchmarks/starter/demo-boot-native)
AGENT=benchmarks/starter/target/agent/opentelemetry-javaagent-$AGENT_VERSION.jar
if [ ! -f "$AGENT" ]; then
  ./mvnw -q -B dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$AGENT_VERSION \
    -DoutputDirectory=benchmarks/starter/target/agent
fi
mkdir -p "$OUT"

SINK_PID=""
APP_PID=""
stop_pid() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
cleanup() { stop_pid "$APP_PID"; stop_pid "$SINK_PID"; }
trap cleanup EXIT

java -Xmx64m -cp "$HARNESS" io.sightline.benchmarks.starter.DiscardingSink "$SINK_PORT" > "$OUT/sink.log" 2>&1 &
SINK_PID=$!

SINK="http://127.0.0.1:$SINK_PORT"
COMMON=(--server.port="$PORT" --server.address=127.0.0.1 --demo.slow-ratio=0 --demo.failure-ratio=0)
launch() {   # launch VARIANT LOG: starts the variant's JVM in the background, sets APP_PID
  local heap=(-Xms"$HEAP" -Xmx"$HEAP")
  # Spring's request stacks are deeper than JFR's default 64 frames; the breakdown needs the filters at the bottom.
  if [ "${BENCH_JFR:-0}" = 1 ]; then heap+=(-XX:FlightRecorderOptions:stackdepth=256); fi
  case "$1" in
    bare)
      java "${heap[@]}" -jar "$BARE_JAR" "${COMMON[@]}" > "$2" 2>&1 & ;;
    starter|starter-before)
      local jar=$STARTER_JAR
      [ "$1" = starter-before ] && jar=$BENCH_STARTER_BEFORE_JAR
      java "${heap[@]}" -jar "$jar" "${COMMON[@]}" --management.server.port="$MGMT_PORT" \
        --sightline.logging.format=json --sightline.tracing.otlp.endpoint="$SINK/v1/traces" \
        --sightline.errors.sentry.dsn="http://benchkey@127.0.0.1:$SINK_PORT/1" > "$2" 2>&1 & ;;
    boot-native)
      java "${heap[@]}" -jar "$NATIVE_JAR" "${COMMON[@]}" --management.server.port="$MGMT_PORT" \
        --management.server.address=127.0.0.1 --management.endpoints.web.exposure.include=health,prometheus \
        --management.tracing.sampling.probability=0.1 \
        --management.opentelemetry.tracing.export.otlp.endpoint="$SINK/v1/traces" \
        --management.otlp.metrics.export.enabled=false --logging.structured.format.console=logstash > "$2" 2>&1 & ;;
    otel-agent)
      OTEL_SERVICE_NAME=demo-service OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 \
      OTEL_EXPORTER_OTLP_ENDPOINT="$SINK" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
      OTEL_METRICS_EXPORTER=prometheus OTEL_EXPORTER_PROMETHEUS_HOST=127.0.0.1 \
      OTEL_EXPORTER_PROMETHEUS_PORT="$MGMT_PORT" OTEL_LOGS_EXPORTER=none \
      java "${heap[@]}" -javaagent:"$AGENT" -jar "$BARE_JAR" "${COMMON[@]}" > "$2" 2>&1 & ;;
    *) echo "run.sh: unknown variant $1" >&2; exit 2 ;;
  esac
  APP_PID=$!
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
URL="http://127.0.0.1:$PORT/api/users/bench/links"
printf 'round\tvariant\tstartup_s\treq_per_s\tcpu_us_per_req\tp50_ms\tp99_ms\trss_mib\tmetaspace_mib\tclasses\tlines_per_req\tdropped\tload1\n' \
  > "$OUT/results.tsv"

run_variant() {
  local round=$1 variant=$2 log="$OUT/$1-$2.log"
  local start end
  start=$(date +%s.%N)
  launch "$variant" "$log"
  for _ in $(seq 1 2400); do   # at most 120 s
    curl -fs -o /dev/null "$URL" && break
    kill -0 "$APP_PID" 2>/dev/null || { echo "run.sh: $variant exited during start-up, see $log" >&2; exit 1; }
    sleep 0.05
  done
  end=$(date +%s.%N)
  curl -fs -o /dev/null "$URL" || { echo "run.sh: $variant did not answer within 120 s, see $log" >&2; exit 1; }
  for i in $(seq 1 20); do   # ~2.8 KB of JSON per listing
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"url\":\"https://example.org/articles/$i\",\"title\":\"Article number $i about observability\"}" "$URL"
  done

  wrk -t2 -c32 -d"${WARMUP}s" "$URL" > "$OUT/$round-$variant-warmup.txt"
  local ticks_before ticks_after hz
  hz=$(getconf CLK_TCK)
  ticks_before=$(cpu_ticks "$APP_PID")
  wrk -t2 -c32 -d"${MEASURE}s" "$URL" > "$OUT/$round-$variant-throughput.txt"
  ticks_after=$(cpu_ticks "$APP_PID")
  java -Xmx64m -cp "$HARNESS" io.sightline.benchmarks.starter.FixedRateLoad "$URL" "$RATE" "$MEASURE" \
    "$RATE_CONNECTIONS" > "$OUT/$round-$variant-fixed-rate.txt"
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    # A phase of its own, after the measured ones: JFR's profile settings cut the bare demo's throughput to a
    # third here (13.8k -> 4.1k req/s) and the agent's hardly at all, so a recording during the measured phase
    # makes every ratio to bare wrong. Execution samples only (cpu-samples.jfc), every millisecond.
    jcmd "$APP_PID" JFR.start name=bench settings="$PWD/benchmarks/starter/cpu-samples.jfc" duration="${MEASURE}s" \
      filename="$PWD/$OUT/$round-$variant.jfr" > /dev/null
    wrk -t2 -c32 -d"${MEASURE}s" "$URL" > "$OUT/$round-$variant-profiled.txt"
  fi

  local rss metaspace classes dropped="-"
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$APP_PID/status")
  metaspace=$(jstat -gc "$APP_PID" | awk 'NR==1 {for (i=1;i<=NF;i++) h[i]=$i} NR==2 {for (i=1;i<=NF;i++) if (h[i]=="MU") printf "%.1f", $i/1024}')
  classes=$(jstat -class "$APP_PID" | awk 'NR==2 {print $1}')
  if [ "$variant" = starter ] || [ "$variant" = starter-before ]; then
    dropped=$(curl -fs "http://127.0.0.1:$MGMT_PORT/actuator/prometheus" \
      | awk '/^sightline_log_events_dropped_total/ {sum += $2} END {print sum + 0}')
  fi
  stop_pid "$APP_PID"; APP_PID=""
  # Request log lines written (every variant's RequestLogFilter line has this text), then drop the large log.
  local lines
  lines=$(grep -c 'bench/links -> 200' "$log" || true)
  { head -200 "$log"; echo "[... $(wc -l < "$log") lines in total ...]"; tail -50 "$log"; } > "$log.excerpt"
  rm -f "$log"

  python3 - "$round" "$variant" "$start" "$end" "$ticks_before" "$ticks_after" "$hz" "$rss" "$metaspace" "$classes" \
      "$lines" "$dropped" "$(cut -d' ' -f1 /proc/loadavg)" "$OUT/$round-$variant-warmup.txt" \
      "$OUT/$round-$variant-throughput.txt" "$OUT/$round-$variant-fixed-rate.txt" "$OUT/$round-$variant-profiled.txt" \
      >> "$OUT/results.tsv" <<'PY'
import os, re, sys
(rnd, variant, start, end, t0, t1, hz, rss, meta, classes, lines, dropped, load, warm, thr, fixed, profiled) = sys.argv[1:]
def wrk(path):
    text = open(path).read()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if errors:
        sys.exit(f"{path}: errors during the run: {errors.group(0)}")
    # wrk's own 2 s timeouts (a loaded machine) are not the application's errors: reported, not fatal.
    timeouts = re.search(r"Socket errors: .*", text)
    if timeouts:
        print(f"{path}: {timeouts.group(0)}", file=sys.stderr)
    return int(re.search(r"(\d+) requests in", text).group(1)), float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
warm_requests, _ = wrk(warm)
requests, rps = wrk(thr)
f = dict(kv.split("=") for kv in open(fixed).read().split())
if int(f["errors"]) > 0:
    sys.exit(f"{fixed}: {f['errors']} errors at the fixed rate")
# The fixed-rate client also sends one priming request per connection and its warm-up, which it does not count.
fixed_sent = int(f["requests"]) + int(f["unmeasured"])
profiled_requests = wrk(profiled)[0] if os.path.exists(profiled) else 0
served = warm_requests + requests + fixed_sent + profiled_requests + 2
cpu_us = (int(t1) - int(t0)) / int(hz) * 1e6 / requests
print(f"{rnd}\t{variant}\t{float(end) - float(start):.2f}\t{rps:.0f}\t{cpu_us:.1f}\t{float(f['p50_ms']):.3f}\t"
      f"{float(f['p99_ms']):.3f}\t{rss}\t{meta}\t{classes}\t{int(lines) / served:.4f}\t{dropped or '-'}\t{load}")
PY
  tail -1 "$OUT/results.tsv" >&2
}

for round in $(seq 1 "$ROUNDS"); do
  # Rotate which variant goes first, so drift on the shared machine favours none.
  shift_by=$(( (round - 1) % ${#VARIANTS[@]} ))
  order=("${VARIANTS[@]:$shift_by}" "${VARIANTS[@]:0:$shift_by}")
  for variant in "${order[@]}"; do run_variant "$round" "$variant"; done
done

summarize "$OUT/results.tsv"
echo "raw results: $OUT" >&2
