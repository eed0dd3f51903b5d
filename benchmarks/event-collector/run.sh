#!/usr/bin/env bash
# event-collector: sustained notification rate to the output file, and live heap after a 20,000-event
# burst, each in fresh JVMs (same -Xms/-Xmx every round).
#
#   benchmarks/event-collector/run.sh [rounds] [warmup-seconds] [measure-seconds]   (defaults: 3 30 20)
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

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  java "${JAVA_OPTS[@]}" -cp "$CP" io.sightline.benchmarks.collector.EventCollectorBenchmark rate "$WARMUP" "$MEASURE" \
    2>/dev/null | grep '^rate:'
  java "${JAVA_OPTS[@]}" -cp "$CP" io.sightline.benchmarks.collector.EventCollectorBenchmark heap \
    2>/dev/null | grep '^heap:'
done
