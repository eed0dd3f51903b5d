#!/usr/bin/env bash
# Evaluation cost of the SLO rules: rules/slo.yaml as it was (every window, up to 3 days, read from the raw
# http_server_requests_seconds series) vs. as it is (only the 5-minute rates read raw series; longer windows average
# the recorded 5-minute rates). Both run on the same real Prometheus and the same data, in alternating rounds; the
# figure is Prometheus' own prometheus_rule_group_last_duration_seconds of each group.
#
#   benchmarks/rule-evaluation/run.sh [rounds] [services] [days]       (defaults: 3 4 3)
#
# The data: <services> services of 4 URIs x 2 statuses (200, 500) x 2 pods, each with the starter's 11 SLO buckets
# plus +Inf and _count (16 label sets, 208 series per service), scraped every 60 s for <days> days up to an hour
# after now (so the 5-minute windows stay full while the rounds run), written with
# `promtool tsdb create-blocks-from openmetrics`. For the current rules, the three recorded 5-minute rates are
# backfilled over the same days with `promtool tsdb create-blocks-from rules`, as a Prometheus that ran them that long
# would hold them. Each round starts Prometheus with one rule file (evaluation every 30 s), waits for 6 evaluations
# and takes the median of the durations they report.
#
# Needs: prometheus and promtool (Debian: apt-get install -y prometheus), python3 (standard library), curl, git.
# Results: benchmarks/rule-evaluation/target/<timestamp>/results.tsv and a Markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${1:-3}
SERVICES=${2:-4}
DAYS=${3:-3}
# rules/slo.yaml before the long windows were derived from recorded rates
BEFORE_COMMIT=${BENCH_BEFORE_COMMIT:-c0a0fab}
OUT="benchmarks/rule-evaluation/target/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT/data"
OUT=$(cd "$OUT" && pwd)

git show "$BEFORE_COMMIT:k8s-monitoring/rules/slo.yaml" > "$OUT/before.yaml"
cp k8s-monitoring/rules/slo.yaml "$OUT/after.yaml"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The synthetic scrapes, as OpenMetrics with timestamps (one histogram family).
NOW=$(date +%s)
python3 - "$SERVICES" "$DAYS" "$NOW" > "$OUT/scrapes.om" <<'PY'
import random, sys
services, days, now = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
step, start, end = 60, now - days * 86400, now + 3600
les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"]
share = [0.02, 0.05, 0.15, 0.3, 0.5, 0.75, 0.97, 0.99, 0.995, 0.999, 1.0, 1.0]
rng = random.Random(42)
out = sys.stdout
out.write("# TYPE http_server_requests_seconds histogram\n")
for s in range(services):
    for uri in range(4):
        for status in ("200", "500"):
            for pod in range(2):
                labels = (f'namespace="shop",application="service-{s}",job="shop/service-{s}",'
                          f'pod="service-{s}-{pod}",uri="/api/r{uri}",method="GET",status="{status}"')
                per_s = 5.0 if status == "200" else 0.01
                count, buckets = 0.0, [0.0] * len(les)
                for t in range(start, end + 1, step):
                    n = rng.uniform(0.5, 1.5) * per_s * step
                    count += n
                    for i, f in enumerate(share):
                        buckets[i] += n * f
                    for le, b in zip(les, buckets):
                        out.write(f'http_server_requests_seconds_bucket{{{labels},le="{le}"}} {b:.1f} {t}\n')
                    out.write(f'http_server_requests_seconds_count{{{labels}}} {count:.1f} {t}\n')
out.write("# EOF\n")
PY
promtool tsdb create-blocks-from openmetrics "$OUT/scrapes.om" "$OUT/data" > "$OUT/backfill.log"
rm "$OUT/scrapes.om"

start_prometheus() { # <config> <port> <log>
    prometheus --config.file="$1" --storage.tsdb.path="$OUT/data" --web.listen-address="127.0.0.1:$2" \
        --storage.tsdb.retention.time=30d > "$3" 2>&1 &
    PROM_PID=$!
    for _ in $(seq 1 600); do
        curl -fs "http://127.0.0.1:$2/-/ready" > /dev/null 2>&1 && return 0
        sleep 1
    done
    echo "Prometheus did not become ready, see $3" >&2
    exit 1
}
stop_prometheus() { kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true; }

# The recorded 5-minute rates of the current rules over the same days (only those three read raw series).
python3 - "$OUT/after.yaml" > "$OUT/records-5m.yaml" <<'PY'
import re, sys
# the rules "- record: ...:rate5m" of the counts (not the ratios), as written (one rule per "      - " block)
text = open(sys.argv[1]).read()
blocks = re.split(r"(?m)^(?=      - |      #)", text)
keep = [b for b in blocks if re.match(r"      - record: \S+_(requests|errors|slow):rate5m\n", b)]
assert len(keep) == 3, keep
print("groups:\n  - name: records-5m\n    rules:\n" + "".join(keep))
PY
PORT=$(free_port)
printf 'global:\n  evaluation_interval: 30s\n' > "$OUT/empty.yml"
start_prometheus "$OUT/empty.yml" "$PORT" "$OUT/prometheus-backfill.log"
promtool tsdb create-blocks-from rules --start="$((NOW - DAYS * 86400))" --end="$((NOW + 3600))" \
    --url="http://127.0.0.1:$PORT" --eval-interval=30s --output-dir="$OUT/records" "$OUT/records-5m.yaml" \
    > "$OUT/backfill-rules.log" 2>&1
stop_prometheus
mv "$OUT"/records/* "$OUT/data/"

printf 'round\tvariant\tgroup\tseconds\n' > "$OUT/results.tsv"
measure() { # <round> <variant>
    local port config
    port=$(free_port)
    config="$OUT/prometheus-$2.yml"
    printf 'global:\n  evaluation_interval: 30s\nrule_files:\n  - %s\n' "$OUT/$2.yaml" > "$config"
    start_prometheus "$config" "$port" "$OUT/prometheus-$1-$2.log"
    for sample in 1 2 3 4 5 6; do
        sleep 30
        curl -fs "http://127.0.0.1:$port/metrics" \
            | sed -n 's/^prometheus_rule_group_last_duration_seconds{rule_group="[^;]*;\([^"]*\)"} \(.*\)$/\1 \2/p' \
            | while read -r group seconds; do printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$group" "$seconds"; done \
            >> "$OUT/results.tsv"
    done
    stop_prometheus
}
for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 )); then measure "$round" before; measure "$round" after
    else measure "$round" after; measure "$round" before; fi
done

python3 - "$OUT/results.tsv" <<'PY'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if float(r["seconds"]) > 0]
def med(variant, group=None):
    per_round = {}
    for r in rows:
        if r["variant"] == variant and (group is None or r["group"] == group):
            per_round.setdefault((r["round"], r["group"]), []).append(float(r["seconds"]))
    # median of each group's evaluations in a round, summed over groups, then the median over rounds
    rounds = {}
    for (rnd, grp), xs in per_round.items():
        rounds[rnd] = rounds.get(rnd, 0) + statistics.median(xs)
    return statistics.median(rounds.values()), min(rounds.values()), max(rounds.values())
print("| rule group | before: median (range) | after: median (range) | after / before |")
print("|---|---|---|---|")
ms = lambda x: f"{x[0]*1000:.1f} ms ({x[1]*1000:.1f}–{x[2]*1000:.1f})"
for group in ("sightline-slo-recording", "sightline-slo-alerts"):
    b, a = med("before", group), med("after", group)
    print(f"| {group}, per evaluation (every 30 s) | {ms(b)} | {ms(a)} | {a[0]/b[0]:.3f} |")
period = med("after", "sightline-slo-period")
print(f"| sightline-slo-period (new: the budget's 30-day ratios), per evaluation (every 5 min) | – | {ms(period)} | |")
# evaluation time per 5 minutes: ten evaluations of the 30-second groups, one of the period group
b = 10 * (med("before", "sightline-slo-recording")[0] + med("before", "sightline-slo-alerts")[0])
a = 10 * (med("after", "sightline-slo-recording")[0] + med("after", "sightline-slo-alerts")[0]) + period[0]
print(f"| all SLO groups, evaluation time per 5 minutes | {b*1000:.0f} ms | {a*1000:.0f} ms | {a/b:.3f} |")
PY
echo "results: $OUT/results.tsv"
