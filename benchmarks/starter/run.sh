#!/usr/bin/env bash
# Request-path cost of the telemetry starter: the demo service with every starter feature on vs.
# every starter feature off (sightline.*.enabled=false), in alternating fresh JVMs on 127.0.0.1.
#
#   benchmarks/starter/run.sh [rounds] [warmup-seconds] [measure-seconds]     (defaults: 5 90 30)
#   benchmarks/starter/run.sh --summarize benchmarks/starter/target/<run>/results.tsv
#
# Needs: wrk (Debian: apt-get install -y wrk), a JDK (jstat), python3, curl, and the demo jar
# (built here when missing). Results go to benchmarks/starter/target/<timestamp>/; the summary
# (medians, ranges, median of per-round ratios) is printed as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${1:-5}
WARMUP=${2:-90}
MEASURE=${3:-30}
HEAP=${BENCH_HEAP:-256m}
PORT=${BENCH_PORT:-18080}
MGMT_PORT=${BENCH_MGMT_PORT:-18081}
RATE_CONNECTIONS=8        # fixed-rate phase: 8 connections, each waiting RATE_DELAY_MS between requests
RATE_DELAY_MS=8           # ~1,000 req/s in total, far below saturation on 2 cores
OUT="benchmarks/starter/target/$(date -u +%Y%m%dT%H%M%SZ)"

# Markdown table: medians with ranges per variant, and the median of per-round on/off ratios.
summarize() {
python3 - "$1" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
metrics = [("req_per_s", "throughput (req/s)"), ("cpu_us_per_req", "CPU µs/request"),
           ("p50_ms", "p50 at ~1k req/s (ms)"), ("p99_ms", "p99 at ~1k req/s (ms)"),
           ("startup_s", "start-up to first response (s)"), ("rss_mib", "RSS (MiB)"),
           ("metaspace_mib", "metaspace used (MiB)"), ("classes", "loaded classes")]
by = lambda v, m: [float(r[m]) for r in rows if r["variant"] == v]
print("| metric | starter on: median (range) | starter off: median (range) | on/off, median of per-round ratios |")
print("|---|---|---|---|")
for key, label in metrics:
    on, off = by("on", key), by("off", key)
    ratios = [a / b for a, b in zip(on, off) if b]
    num = lambda x: f"{x:,.0f}" if x >= 1000 else f"{x:.3g}"
    fmt = lambda xs: f"{num(statistics.median(xs))} ({num(min(xs))}–{num(max(xs))})"
    print(f"| {label} | {fmt(on)} | {fmt(off)} | {statistics.median(ratios):.3f} |")
PY
}

if [ "${1:-}" = "--summarize" ]; then   # re-print the table of an earlier run: --summarize <results.tsv>
  summarize "$2"
  exit 0
fi

for tool in wrk curl python3 jstat; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required (wrk: apt-get install -y wrk)" >&2; exit 2; }
done
JAR=$(ls examples/demo-service/target/sightline-demo-service-*.jar 2>/dev/null | grep -v original | head -1 || true)
if [ -z "$JAR" ]; then
  ./mvnw -q -B -pl examples/demo-service package -DskipTests
  JAR=$(ls examples/demo-service/target/sightline-demo-service-*.jar | grep -v original | head -1)
fi
mkdir -p "$OUT"

COMMON=(--server.port="$PORT" --server.address=127.0.0.1 --management.server.port="$MGMT_PORT"
        --management.server.address=127.0.0.1 --demo.slow-ratio=0 --demo.failure-ratio=0)
declare -A VARIANT_ARGS=(
  [on]="--sightline.logging.format=json"
  [off]="--sightline.logging.enabled=false --sightline.metrics.enabled=false --sightline.tracing.enabled=false --sightline.errors.enabled=false --sightline.probes.enabled=false"
)

cat > "$OUT/paced.lua" <<LUA
function delay() return $RATE_DELAY_MS end
LUA

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

APP_PID=""
stop_app() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID"
    for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
}
trap stop_app EXIT

URL="http://127.0.0.1:$PORT/api/users/bench/links"
printf 'round\tvariant\tstartup_s\treq_per_s\tcpu_us_per_req\tp50_ms\tp99_ms\trss_mib\tmetaspace_mib\tclasses\n' > "$OUT/results.tsv"

run_variant() {
  local round=$1 variant=$2 log="$OUT/$1-$2.log"
  local start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  java -Xms"$HEAP" -Xmx"$HEAP" -jar "$JAR" "${COMMON[@]}" ${VARIANT_ARGS[$variant]} > "$log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 1200); do   # at most 60 s
    curl -fs -o /dev/null "$URL" && break
    kill -0 "$APP_PID" 2>/dev/null || { echo "run.sh: $variant exited during start-up, see $log" >&2; exit 1; }
    sleep 0.05
  done
  end=$(date +%s.%N)
  curl -fs -o /dev/null "$URL" || { echo "run.sh: $variant did not answer within 60 s, see $log" >&2; exit 1; }
  for i in $(seq 1 20); do   # ~2 KB of JSON per listing
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"url\":\"https://example.org/articles/$i\",\"title\":\"Article number $i about observability\"}" "$URL"
  done

  wrk -t2 -c32 -d"${WARMUP}s" "$URL" > "$OUT/$round-$variant-warmup.txt"
  local ticks_before ticks_after hz
  hz=$(getconf CLK_TCK)
  ticks_before=$(cpu_ticks "$APP_PID")
  wrk -t2 -c32 -d"${MEASURE}s" "$URL" > "$OUT/$round-$variant-throughput.txt"
  ticks_after=$(cpu_ticks "$APP_PID")
  wrk -t2 -c"$RATE_CONNECTIONS" -d"${MEASURE}s" --latency -s "$OUT/paced.lua" "$URL" > "$OUT/$round-$variant-paced.txt"

  local rss metaspace classes
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$APP_PID/status")
  metaspace=$(jstat -gc "$APP_PID" | awk 'NR==2 {for (i=1;i<=NF;i++) if (h[i]=="MU") printf "%.1f", $i/1024} NR==1 {for (i=1;i<=NF;i++) h[i]=$i}')
  classes=$(jstat -class "$APP_PID" | awk 'NR==2 {print $1}')
  stop_app

  python3 - "$round" "$variant" "$start" "$end" "$ticks_before" "$ticks_after" "$hz" "$rss" "$metaspace" "$classes" \
      "$OUT/$round-$variant-throughput.txt" "$OUT/$round-$variant-paced.txt" >> "$OUT/results.tsv" <<'PY'
import re, sys
(rnd, variant, start, end, t0, t1, hz, rss, meta, classes, thr, paced) = sys.argv[1:]
def wrk(path):
    text = open(path).read()
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors", text)
    if errors:
        sys.exit(f"{path}: errors during the run: {errors.group(0)}")
    return text, requests, rps
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
_, requests, rps = wrk(thr)
text, _, _ = wrk(paced)
p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", text).groups())
p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups())
cpu_us = (int(t1) - int(t0)) / int(hz) * 1e6 / requests
print(f"{rnd}\t{variant}\t{float(end) - float(start):.2f}\t{rps:.0f}\t{cpu_us:.1f}\t{p50:.3f}\t{p99:.3f}\t{rss}\t{meta}\t{classes}")
PY
  tail -1 "$OUT/results.tsv" >&2
}

for round in $(seq 1 "$ROUNDS"); do
  # Alternate which variant goes first, so drift on the shared machine does not favour one.
  if [ $((round % 2)) -eq 1 ]; then order=(on off); else order=(off on); fi
  for variant in "${order[@]}"; do run_variant "$round" "$variant"; done
done

summarize "$OUT/results.tsv"
echo "raw results: $OUT" >&2
