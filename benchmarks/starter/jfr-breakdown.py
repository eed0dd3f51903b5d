#!/usr/bin/env python3
"""Where the per-request CPU goes, from the JFR recordings run.sh makes with BENCH_JFR=1.

  benchmarks/starter/jfr-breakdown.py benchmarks/starter/target/<run>/results.tsv
  benchmarks/starter/jfr-breakdown.py --frames benchmarks/starter/target/<run>/1-starter.jfr [package prefix ...]
  benchmarks/starter/jfr-breakdown.py --frames start-up.jfr --thread main [package prefix ...]

For each variant and round: the execution samples of the profiled phase (a saturated phase like the measured
one, run.sh's cpu-samples.jfc: execution samples every 1 ms) (jfr print --json --events jdk.ExecutionSample)
sorted into a concern: first by thread (the starter's log writer, exporter and sender threads), then by the
frame nearest the top of the stack that belongs to a category in CATEGORIES (the code doing the work, not a filter
that wraps the whole request further down); each concern's share times the round's CPU
µs/request. JFR samples only threads running Java code, so the shares leave out GC and JIT threads; they
describe the Java part. Prints one Markdown table with the median over rounds.

--frames prints, for one recording, the share of samples each method is on the stack of (the given package
prefixes, by default the telemetry libraries') and the methods most often at the top of the stack; with --thread,
only that thread's samples (the start-up's "main")."""
import csv, json, os, statistics, subprocess, sys, collections

THREADS = [  # (label, thread name prefixes): work off the request threads
    ("log writer thread (mask, encode, write)", ["sightline-log-writer", "AsyncAppender-Worker"]),
    ("exporter and sender threads (OTLP, Sentry, Prometheus)", ["BatchSpanProcessor", "okhttp", "OkHttp", "SentryAsync",
                                                                "sentry-", "Sentry", "prometheus-http", "http-nio-127.0.0.1-18081"]),
]

CATEGORIES = [  # (label, frame prefixes): a sample goes to the category of its frame nearest the top of the stack
    ("Sentry", ["io/sentry/", "io/sightline/telemetry/errors/"]),
    ("logging call on the request thread", ["ch/qos/logback/", "org/slf4j/", "net/logstash/", "org/springframework/boot/logging/",
                                            "io/sightline/telemetry/logging/", "io/sightline/telemetry/masking/"]),
    ("tracing (Micrometer Tracing, OpenTelemetry)", ["io/micrometer/tracing/", "io/opentelemetry/", "io/sightline/telemetry/tracing/"]),
    ("metrics and observation", ["io/micrometer/", "io/prometheus/", "io/sightline/telemetry/metrics/"]),
    ("response JSON (Jackson)", ["tools/jackson/", "com/fasterxml/jackson/"]),
    ("Spring MVC", ["org/springframework/web/", "org/springframework/http/"]),
    ("Tomcat and sockets", ["org/apache/", "sun/nio/", "java/net/", "sun/net/"]),
    ("demo application", ["io/sightline/demo/"]),
]

LABELS = [t[0] for t in THREADS] + [c[0] for c in CATEGORIES] + ["other (JDK, Spring core, ...)"]

DEFAULT_FRAME_PREFIXES = ["io/sentry", "io/micrometer", "io/opentelemetry", "io/sightline/telemetry", "net/logstash",
                          "ch/qos/logback", "org/springframework/boot/actuate", "io/prometheus", "org/slf4j/MDC",
                          "org/springframework/web/filter/ServerHttpObservationFilter"]

def samples(jfr):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "400", "--events", "jdk.ExecutionSample", jfr],
                         capture_output=True, text=True, check=True).stdout
    for sample in json.loads(out)["recording"]["events"]:
        if sample["values"].get("stackTrace"):
            yield (sample["values"].get("sampledThread") or {}).get("javaName") or "", frames_of(sample)

def frames_of(sample):
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in sample["values"]["stackTrace"]["frames"]]

def concern_of(frames):
    """The category of the frame nearest the top of the stack (frames[0] is the top) that has one."""
    for frame in frames:
        for name, prefixes in CATEGORIES:
            if frame.startswith(tuple(prefixes)):
                return name
    return "other (JDK, Spring core, ...)"

def breakdown(jfr):
    counts, total = collections.Counter(), 0
    for thread, frames in samples(jfr):
        total += 1
        label = next((name for name, prefixes in THREADS if thread.startswith(tuple(prefixes))), None)
        if label is None:
            label = concern_of(frames)
        counts[label] += 1
    return counts, total

def frames_report(jfr, prefixes, thread=None):
    on_stack, on_top, total = collections.Counter(), collections.Counter(), 0
    for name, frames in samples(jfr):
        if thread is not None and name != thread:
            continue
        total += 1
        on_top[frames[0]] += 1
        for frame in set(frames):
            if frame.startswith(tuple(prefixes)):
                on_stack[frame] += 1
    print(f"{jfr}: {total} execution samples\n\n| on the stack of (share of samples) | method |\n|---|---|")
    for frame, n in on_stack.most_common(40):
        print(f"| {100 * n / total:.1f} % | `{frame}` |")
    print("\n| at the top of the stack (share of samples) | method |\n|---|---|")
    for frame, n in on_top.most_common(25):
        print(f"| {100 * n / total:.1f} % | `{frame}` |")

if sys.argv[1] == "--frames":
    thread = sys.argv[4] if sys.argv[3:4] == ["--thread"] else None
    prefixes = sys.argv[5:] if thread is not None else sys.argv[3:]
    frames_report(sys.argv[2], prefixes or DEFAULT_FRAME_PREFIXES, thread)
    sys.exit(0)

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
folder = os.path.dirname(sys.argv[1])
per_variant = collections.defaultdict(lambda: collections.defaultdict(list))
for r in rows:
    jfr = os.path.join(folder, f"{r['round']}-{r['variant']}.jfr")
    if not os.path.exists(jfr):
        continue
    counts, total = breakdown(jfr)
    cpu = float(r["cpu_us_per_req"])
    for label in LABELS:
        per_variant[r["variant"]][label].append(cpu * counts[label] / total if total else 0.0)
    per_variant[r["variant"]]["samples"].append(total)
variants = list(per_variant)
print("| CPU µs per request (median of rounds) | " + " | ".join(variants) + " |")
print("|---" * (1 + len(variants)) + "|")
for label in LABELS:
    print(f"| {label} | " + " | ".join(f"{statistics.median(per_variant[v][label]):.1f}" for v in variants) + " |")
print("| (execution samples per round) | " + " | ".join(
    "/".join(str(int(x)) for x in per_variant[v]["samples"]) for v in variants) + " |")
