#!/usr/bin/env python3
"""Where the per-request CPU goes, from the JFR recordings run.sh makes with BENCH_JFR=1.

  benchmarks/starter/jfr-breakdown.py benchmarks/starter/target/<run>/results.tsv

For each variant and round: the execution samples of the profiled phase (a saturated phase like the measured one) (jfr print --json --events
jdk.ExecutionSample) sorted into the concern whose frame is on the stack (first match in CATEGORIES,
searched from the top of the stack), each concern's share times the round's CPU µs/request. JFR samples
only threads running Java code, so the shares leave out GC and JIT threads; they describe the Java part.
Prints one Markdown table with the median over rounds."""
import csv, json, os, statistics, subprocess, sys, collections

CATEGORIES = [  # (label, frame prefixes), first match from the top of the stack wins
    ("log writer thread (mask, encode, write)", ["io/sightline/telemetry/logging/BoundedAsyncAppender.writeUntilStopped",
                                                 "ch/qos/logback/core/AsyncAppenderBase$Worker"]),
    ("Sentry", ["io/sentry/"]),
    ("logging call on the request thread", ["ch/qos/logback/", "org/slf4j/", "net/logstash/", "org/springframework/boot/logging/"]),
    ("tracing (Micrometer Tracing, OpenTelemetry)", ["io/micrometer/tracing/", "io/opentelemetry/"]),
    ("metrics and observation", ["io/micrometer/", "io/prometheus/"]),
    ("response JSON (Jackson)", ["tools/jackson/", "com/fasterxml/jackson/"]),
    ("Spring MVC", ["org/springframework/web/", "org/springframework/http/"]),
    ("Tomcat and sockets", ["org/apache/", "sun/nio/", "java/net/", "sun/net/"]),
    ("demo application", ["io/sightline/demo/"]),
]

def frames_of(sample):
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in sample["values"]["stackTrace"]["frames"]]

def breakdown(jfr):
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", jfr],
                         capture_output=True, text=True, check=True).stdout
    counts, total = collections.Counter(), 0
    for sample in json.loads(out)["recording"]["events"]:
        if not sample["values"].get("stackTrace"):
            continue
        total += 1
        frames = frames_of(sample)
        label = "other (JDK, Spring core, ...)"
        for name, prefixes in CATEGORIES:
            if any(fr.startswith(p) for fr in frames for p in prefixes):
                label = name
                break
        counts[label] += 1
    return counts, total

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
folder = os.path.dirname(sys.argv[1])
per_variant = collections.defaultdict(lambda: collections.defaultdict(list))
for r in rows:
    jfr = os.path.join(folder, f"{r['round']}-{r['variant']}.jfr")
    if not os.path.exists(jfr):
        continue
    counts, total = breakdown(jfr)
    cpu = float(r["cpu_us_per_req"])
    for label in [c[0] for c in CATEGORIES] + ["other (JDK, Spring core, ...)"]:
        per_variant[r["variant"]][label].append(cpu * counts[label] / total if total else 0.0)
    per_variant[r["variant"]]["samples"].append(total)
variants = list(per_variant)
labels = [c[0] for c in CATEGORIES] + ["other (JDK, Spring core, ...)"]
print("| CPU µs per request (median of rounds) | " + " | ".join(variants) + " |")
print("|---" * (1 + len(variants)) + "|")
for label in labels:
    print(f"| {label} | " + " | ".join(f"{statistics.median(per_variant[v][label]):.1f}" for v in variants) + " |")
print("| (execution samples per round) | " + " | ".join(
    "/".join(str(int(x)) for x in per_variant[v]["samples"]) for v in variants) + " |")
