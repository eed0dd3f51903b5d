#!/usr/bin/env bash
# event-collector: sustained notification rate to the output file, live heap after a 20,000-event
# burst, and the heap of listing 100,000 events in pages of 500 and in one response, each in fresh JVMs
# (same -Xms/-Xmx every round). The relist's API server runs in a JVM of its own (RelistServer).
#
#   benchmarks/event-collector/run.sh [rounds] [warmup-seconds] [measure-seconds]   (defaults: 3 30 20)
#   RELIST_EVENTS=100000 RELIST_HEAP=1g (environment) size the relist
#
# Builds the collector and this harness when needed (offline if the local repository has everything).
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${1:-3}
WARMUP=${2:-30}
MEASURE=${3:-20}
HEAP=${BENCH_HEAP:-256m}
CP_FILE=benchmarks/event-collector/target/classpath.txt

# built in one reactor (nothing is installed): the classpath file is written last by the benchmark module
./mvnw -q -B -pl benchmarks/event-collector -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/$CP_FILE"
CP="benchmarks/event-collector/target/classes:$(cat "$CP_FILE")"
JAVA_OPTS=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC)

RELIST_EVENTS=${RELIST_EVENTS:-100000}
PORT_FILE=$(mktemp)
rm -f "$PORT_FILE"
java -Xmx1g -cp "$CP" io.sightline.benchmarks.collector.RelistServer "$RELIST_EVENTS" "$PORT_FILE" >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; rm -f "$PORT_FILE"' EXIT
until [ -s "$PORT_FILE" ]; do sleep 1; done

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  java "${JAVA_OPTS[@]}" -cp "$CP" io.sightline.benchmarks.collector.EventCollectorBenchmark rate "$WARMUP" "$MEASURE" \
    2>/dev/null | grep '^rate:'
  java "${JAVA_OPTS[@]}" -cp "$CP" io.sightline.benchmarks.collector.EventCollectorBenchmark heap \
    2>/dev/null | grep '^heap:'
  for page in 500 0; do
    java -Xms"${RELIST_HEAP:-1g}" -Xmx"${RELIST_HEAP:-1g}" -XX:+UseG1GC -cp "$CP" \
      io.sightline.benchmarks.collector.EventCollectorBenchmark relist "$(cat "$PORT_FILE")" "$page" "$RELIST_EVENTS" \
      2>/dev/null | grep '^relist:'
  done
done
