#!/usr/bin/env bash
# Start-up to the first successful response, fresh JVMs alternating between jars, run.sh's arguments (bare: the
# demo without the starter; starter: JSON logs, OTLP traces and Sentry to a local discarding sink). Prints one
# line per start (variant, round, wall s, the JVM's CPU s until then, 1-min load) and the medians.
# Usage: benchmarks/starter/startups.sh ROUNDS NAME=bare|starter:JAR ...
#   e.g. startups.sh 5 bare=bare:demo-bare.jar before=starter:/tmp/before.jar after=starter:demo-service.jar
# STEPS=1: run through startup/StartupSteps (Spring's BufferingApplicationStartup; longest steps written to
# <log>.steps). JVM_OPTS: extra JVM options (e.g. a JFR recording). METASPACE=1: at the first response, the JVM's
# RSS and `jcmd VM.metaspace` to <log>.metaspace (after the timing). Logs stay in the printed folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=$1; shift
HARNESS=benchmarks/starter/harness/target/classes
PORT=${BENCH_PORT:-18480}; MGMT_PORT=${BENCH_MGMT_PORT:-18481}; SINK_PORT=${BENCH_SINK_PORT:-18490}
OUT=$(mktemp -d)
STEPS_DIR=$OUT/steps
if [ "${STEPS:-0}" = 1 ]; then
  # compiled against the Spring Boot jars inside the first jar given
  mkdir -p "$STEPS_DIR/lib"
  first_jar=${1#*:}; [[ $first_jar = /* ]] || first_jar=$PWD/$first_jar # absolute (/tmp/…) or from the repository root
  (cd "$STEPS_DIR/lib" && unzip -q -o "$first_jar" 'BOOT-INF/lib/spring-*.jar' 'BOOT-INF/lib/micrometer-commons-*.jar')
  javac -d "$STEPS_DIR" -cp "$(ls "$STEPS_DIR"/lib/BOOT-INF/lib/*.jar | tr '\n' ':')" benchmarks/starter/startup/StartupSteps.java
fi
java -Xmx64m -cp "$HARNESS" io.sightline.benchmarks.starter.DiscardingSink "$SINK_PORT" > "$OUT/sink.log" 2>&1 &
SINK_PID=$!
APP_PID=""
trap 'kill $APP_PID $SINK_PID 2>/dev/null || true' EXIT
SINK="http://127.0.0.1:$SINK_PORT"
echo "logs=$OUT"
printf 'variant\tround\twall_s\tcpu_s\tload1\n' | tee "$OUT/startups.tsv"
for round in $(seq 1 "$ROUNDS"); do
  specs=("$@")
  # the order rotates every round, so no variant always starts right after the same one
  for i in $(seq 0 $((${#specs[@]} - 1))); do
    spec=${specs[$(( (i + round - 1) % ${#specs[@]} ))]}
    name=${spec%%=*}; rest=${spec#*=}; kind=${rest%%:*}; jar=${rest#*:}
    args=(--server.port="$PORT" --server.address=127.0.0.1 --demo.slow-ratio=0 --demo.failure-ratio=0)
    if [ "$kind" = starter ]; then
      args+=(--management.server.port="$MGMT_PORT" --sightline.logging.format=json
        --sightline.tracing.otlp.endpoint="$SINK/v1/traces" --sightline.errors.sentry.dsn="http://benchkey@127.0.0.1:$SINK_PORT/1")
    fi
    launch=(-jar "$jar")
    if [ "${STEPS:-0}" = 1 ]; then
      launch=(-Dloader.path="$STEPS_DIR" -Dloader.main=StartupSteps -Dsteps.out="$OUT/$round-$name.steps"
        -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher)
    fi
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    java -Xms256m -Xmx256m ${JVM_OPTS:-} "${launch[@]}" "${args[@]}" > "$OUT/$round-$name.log" 2>&1 &
    APP_PID=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/users/bench/links"; do
      kill -0 "$APP_PID" 2>/dev/null || { echo "$name stopped: $OUT/$round-$name.log" >&2; exit 1; }
      sleep 0.05
    done
    end=$(date +%s.%N)
    read -r -a stat < /proc/"$APP_PID"/stat
    cpu=$(echo "scale=2; (${stat[13]} + ${stat[14]}) / $(getconf CLK_TCK)" | bc)
    if [ "${METASPACE:-0}" = 1 ]; then
      { grep VmRSS /proc/"$APP_PID"/status; jcmd "$APP_PID" VM.metaspace; } > "$OUT/$round-$name.metaspace"
    fi
    sleep 1 # a StartupSteps run writes its report once run() has returned
    kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
    printf '%s\t%s\t%.2f\t%s\t%s\n' "$name" "$round" "$(echo "$end - $start" | bc)" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)" \
      | tee -a "$OUT/startups.tsv"
  done
done
python3 - "$OUT/startups.tsv" <<'PY'
import csv, statistics, sys, collections
rows = collections.defaultdict(list)
for r in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    rows[r["variant"]].append(r)
for name, rs in rows.items():
    print(f"{name}: n={len(rs)} median wall {statistics.median(float(r['wall_s']) for r in rs):.2f} s, "
          f"median CPU {statistics.median(float(r['cpu_s']) for r in rs):.2f} s")
PY
