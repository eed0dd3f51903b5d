#!/usr/bin/env bash
# Start-up to the first successful response, fresh JVMs alternating between jars, run.sh's arguments (bare: the
# demo without the starter; starter: JSON logs, OTLP traces and Sentry to a local discarding sink). Prints one
# line per start (variant, round, wall s, the JVM's CPU s until then, 1-min load) and the medians.
# Usage: benchmarks/starter/startups.sh ROUNDS 'NAME=KIND[:JAR][ ARG...]' ...
#   e.g. startups.sh 5 bare=bare:demo-bare.jar before=starter:/tmp/before.jar after=starter:demo-service.jar
# KIND is bare, starter or boot-native (run.sh's arguments for it, variants.sh); without a JAR, the jar of that kind
# that run.sh builds (built first, BENCH_NO_BUILD=1: not); ARGs are added to the application's arguments, e.g.
#   'nopreload=starter --sightline.startup.preload.enabled=false'
# CDS=1 (or CDS="NAME ..." for some variants only): class-data sharing as Spring Boot documents it. Each jar is
# extracted once (java -Djarmode=tools ... extract) into <logs>/cds/, each variant makes one unmeasured training run
# with its own arguments (-XX:ArchiveClassesAtExit=<logs>/cds/NAME.jsa -Dspring.context.exit=onRefresh), then
# every measured start of it runs the extracted jar with -XX:SharedArchiveFile=<that archive>. NAME=OTHER in CDS: that
# variant makes no training run and starts with OTHER's archive (same jar; e.g. an off switch set only at run time).
# STEPS=1: run through startup/StartupSteps (Spring's BufferingApplicationStartup; longest steps written to
# <log>.steps). JVM_OPTS: extra JVM options (e.g. a JFR recording). METASPACE=1: at the first response, the JVM's
# RSS and `jcmd VM.metaspace` to <log>.metaspace (after the timing), and the median RSS per variant in the summary.
# Logs stay in the printed folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=$1; shift
HARNESS=benchmarks/starter/harness/target/classes
PORT=${BENCH_PORT:-18480}; MGMT_PORT=${BENCH_MGMT_PORT:-18481}; SINK_PORT=${BENCH_SINK_PORT:-18490}
OUT=$(mktemp -d)
source benchmarks/starter/variants.sh
for spec in "$@"; do
  case "${spec%% *}" in *:*) ;; *) build_demo_jars; break ;; esac   # a variant without a jar: the built jars
done
STEPS_DIR=$OUT/steps
if [ "${STEPS:-0}" = 1 ] && [ -n "${CDS:-}" ]; then echo "startups.sh: STEPS=1 and CDS: one at a time" >&2; exit 2; fi
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
echo "logs=$OUT"

# parse_spec SPEC: sets NAME, KIND, JAR and ARGS (the kind's arguments, then the spec's own)
parse_spec() {
  local words head
  read -r -a words <<< "$1"
  head=${words[0]}
  NAME=${head%%=*}; KIND=${head#*=}; JAR=""
  case "$KIND" in *:*) JAR=${KIND#*:}; KIND=${KIND%%:*} ;; esac
  case "$KIND" in
    bare) JAR=${JAR:-$BARE_JAR} ;; starter) JAR=${JAR:-$STARTER_JAR} ;; boot-native) JAR=${JAR:-$NATIVE_JAR} ;;
    *) echo "startups.sh: $NAME: the kind is bare, starter or boot-native, not $KIND" >&2; exit 2 ;;
  esac
  variant_args "$KIND" "$PORT" "$MGMT_PORT" "$SINK_PORT"
  ARGS+=("${words[@]:1}")
}
uses_cds() { [ "${CDS:-}" = 1 ] || [[ " ${CDS:-} " = *" $1 "* || " ${CDS:-} " = *" $1="* ]]; }
archive_of() {   # archive_of NAME: the name of the variant whose training run made NAME's archive
  local word
  for word in ${CDS:-}; do [ "${word%%=*}" = "$1" ] && { echo "${word#*=}"; return; }; done
  echo "$1"
}

# CDS: one extraction per jar, one training run per variant (it exits once the context is refreshed)
declare -A EXTRACTED=()
if [ -n "${CDS:-}" ]; then
  mkdir -p "$OUT/cds"
  for spec in "$@"; do
    parse_spec "$spec"
    uses_cds "$NAME" && [ "$(archive_of "$NAME")" = "$NAME" ] || continue
    if [ -z "${EXTRACTED[$JAR]:-}" ]; then
      EXTRACTED[$JAR]=$OUT/cds/$NAME-jar
      java -Djarmode=tools -jar "$JAR" extract --destination "${EXTRACTED[$JAR]}" >> "$OUT/cds/extract.log"
    fi
    # shellcheck disable=SC2086
    java -Xms256m -Xmx256m ${JVM_OPTS:-} -XX:ArchiveClassesAtExit="$OUT/cds/$NAME.jsa" -Dspring.context.exit=onRefresh \
      -jar "${EXTRACTED[$JAR]}/$(basename "$JAR")" "${ARGS[@]}" > "$OUT/cds/$NAME-training.log" 2>&1 \
      || { echo "startups.sh: the training run of $NAME failed: $OUT/cds/$NAME-training.log" >&2; exit 1; }
    echo "$NAME: archive of $(du -m "$OUT/cds/$NAME.jsa" | cut -f1) MB"
  done
fi

printf 'variant\tround\twall_s\tcpu_s\tload1\n' | tee "$OUT/startups.tsv"
for round in $(seq 1 "$ROUNDS"); do
  specs=("$@")
  # the order rotates every round, so no variant always starts right after the same one
  for i in $(seq 0 $((${#specs[@]} - 1))); do
    parse_spec "${specs[$(( (i + round - 1) % ${#specs[@]} ))]}"
    name=$NAME; jar=$JAR; args=("${ARGS[@]}")
    launch=(-jar "$jar")
    if uses_cds "$name"; then
      launch=(-XX:SharedArchiveFile="$OUT/cds/$(archive_of "$name").jsa" -jar "${EXTRACTED[$jar]}/$(basename "$jar")")
    fi
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
python3 - "$OUT" <<'PY'
import collections, csv, os, re, statistics, sys
out = sys.argv[1]
rows = collections.defaultdict(list)
for r in csv.DictReader(open(f"{out}/startups.tsv"), delimiter="\t"):
    rows[r["variant"]].append(r)
first = next(iter(rows))
def ratio(name, column):   # median of the per-round ratios to the first variant
    base = {r["round"]: float(r[column]) for r in rows[first]}
    return statistics.median(float(r[column]) / base[r["round"]] for r in rows[name])
for name, rs in rows.items():
    rss = [int(re.search(r"VmRSS:\s+(\d+)", open(f).read()).group(1)) / 1024
           for f in (f"{out}/{r['round']}-{name}.metaspace" for r in rs) if os.path.exists(f)]
    print(f"{name}: n={len(rs)} median wall {statistics.median(float(r['wall_s']) for r in rs):.2f} s, "
          f"median CPU {statistics.median(float(r['cpu_s']) for r in rs):.2f} s"
          + (f", per round ÷ {first}: wall {ratio(name, 'wall_s'):.2f}, CPU {ratio(name, 'cpu_s'):.2f}" if name != first else "")
          + (f", median RSS at the first response {statistics.median(rss):.0f} MiB" if rss else ""))
PY
