#!/usr/bin/env bash
# Classes loaded until the first successful response of the starter variant (same arguments as run.sh), counted
# from -Xlog:class+load, with the blocks the start-up discussion in docs/benchmarks.md names, and the JVM's CPU
# seconds until then. The class list stays in the printed folder (at-first-response.log).
# Usage: benchmarks/starter/classes-at-first-response.sh [DEMO_JAR]   (default: examples/demo-service's jar)
# Ports: BENCH_PORT/BENCH_MGMT_PORT/BENCH_SINK_PORT (defaults 18180/18181/18190, apart from run.sh's).
# JVM_OPTS: extra options for the application's JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."
source benchmarks/starter/variants.sh
JAR=${1:-$(jar_of examples/demo-service)}
HARNESS=benchmarks/starter/harness/target/classes
PORT=${BENCH_PORT:-18180}; MGMT_PORT=${BENCH_MGMT_PORT:-18181}; SINK_PORT=${BENCH_SINK_PORT:-18190}
OUT=$(mktemp -d)
java -Xmx64m -cp "$HARNESS" io.sightline.benchmarks.starter.DiscardingSink "$SINK_PORT" > "$OUT/sink.log" 2>&1 &
SINK_PID=$!
APP_PID=""
trap 'kill $APP_PID $SINK_PID 2>/dev/null || true' EXIT
variant_args starter "$PORT" "$MGMT_PORT" "$SINK_PORT"
start=$(date +%s.%N)
# shellcheck disable=SC2086
java -Xms256m -Xmx256m ${JVM_OPTS:-} -Xlog:class+load:file="$OUT/classes.log" -jar "$JAR" "${ARGS[@]}" > "$OUT/app.log" 2>&1 &
APP_PID=$!
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/users/bench/links"; do
  kill -0 "$APP_PID" 2>/dev/null || { echo "the application stopped: $OUT/app.log" >&2; exit 1; }
  sleep 0.2
done
seconds=$(echo "$(date +%s.%N) - $start" | bc)
# CPU the JVM used until then (user + system): less at the mercy of other work on the machine than the wall time
read -r -a stat < /proc/"$APP_PID"/stat
cpu_seconds=$(echo "scale=2; (${stat[13]} + ${stat[14]}) / $(getconf CLK_TCK)" | bc)
cp "$OUT/classes.log" "$OUT/at-first-response.log"
count() { grep -cE "$1" "$OUT/at-first-response.log" || true; }
echo "jar=$JAR start_to_first_response_s=$seconds cpu_s=$cpu_seconds load1=$(cut -d' ' -f1 /proc/loadavg)"
echo "log=$OUT/at-first-response.log"
echo "classes=$(grep -c ' source: ' "$OUT/at-first-response.log")" \
  "okhttp_okio_kotlin=$(count ' (okhttp3|okio|kotlin)\.')" \
  "opentelemetry=$(count ' io\.opentelemetry\.')" \
  "sentry=$(count ' io\.sentry\.')" \
  "jdk_http_client=$(count ' (jdk\.internal\.net\.http|java\.net\.http)\.')"
