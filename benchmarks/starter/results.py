#!/usr/bin/env python3
"""run.sh's arithmetic: one results.tsv row per measured phase, and the summary table.

  results.py round ARGS...          one row of the per-round mode (fresh JVM per variant and round)
  results.py interleaved OUT_DIR    the rows of an interleaved run from OUT_DIR's raw files, and idle.txt
  results.py summarize RESULTS_TSV  the Markdown table (both modes write the same columns)
  results.py threads BEFORE AFTER HZ WRK_OUTPUT
                                    per-round mode: the measured phase's user and system CPU per request by thread
                                    group (request threads, log writer, exporters, JIT compilers, GC, ...)

In the interleaved mode a "round" is a cycle: one short burst per variant, all JVMs started and warmed up once.
Its rows carry throughput and CPU per request; one row per variant with round "end" carries start-up, RSS,
metaspace, classes, lines written ÷ requests and the starter's drop counter, measured once.
"""
import csv
import os
import random
import re
import statistics
import sys

COLUMNS = ["round", "variant", "startup_s", "req_per_s", "cpu_us_per_req", "sys_us_per_req", "p50_ms", "p99_ms", "rss_mib",
           "metaspace_mib", "classes", "lines_per_req", "dropped", "load1"]


def wrk(path):
    """Requests and requests/s of one wrk run; an application error ends the run."""
    text = open(path).read()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if errors:
        sys.exit(f"{path}: errors during the run: {errors.group(0)}")
    # wrk's own 2 s timeouts (a loaded machine) are not the application's errors: reported, not fatal.
    timeouts = re.search(r"Socket errors: .*", text)
    if timeouts:
        print(f"{path}: {timeouts.group(0)}", file=sys.stderr)
    return int(re.search(r"(\d+) requests in", text).group(1)), float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))


def cpu_ticks(text):
    """(user + system, system) clock ticks from run.sh's cpu_ticks "TOTAL/SYSTEM" (runs before session 9: TOTAL)."""
    total, _, system = text.partition("/")
    return int(total), (int(system) if system else None)


def per_request(before, after, hz, requests):
    """CPU µs per request, all and of it system time ("-" where the run did not record system time)."""
    (t0, s0), (t1, s1) = cpu_ticks(before), cpu_ticks(after)
    system = f"{(s1 - s0) / hz * 1e6 / requests:.1f}" if s0 is not None and s1 is not None else "-"
    return f"{(t1 - t0) / hz * 1e6 / requests:.1f}", system


def row(values):
    return "\t".join(str(values.get(c, "-")) for c in COLUMNS)


def per_round_row(args):
    (rnd, variant, start, end, t0, t1, hz, rss, meta, classes, lines, dropped, load, warm, thr, fixed,
     profiled) = args
    warm_requests, _ = wrk(warm)
    requests, rps = wrk(thr)
    f = dict(kv.split("=") for kv in open(fixed).read().split())
    if int(f["errors"]) > 0:
        sys.exit(f"{fixed}: {f['errors']} errors at the fixed rate")
    # The fixed-rate client also sends one priming request per connection and its warm-up, which it does not count.
    fixed_sent = int(f["requests"]) + int(f["unmeasured"])
    profiled_requests = wrk(profiled)[0] if os.path.exists(profiled) else 0
    served = warm_requests + requests + fixed_sent + profiled_requests + 2
    cpu_us, sys_us = per_request(t0, t1, int(hz), requests)
    print(row({"round": rnd, "variant": variant, "startup_s": f"{float(end) - float(start):.2f}",
               "req_per_s": f"{rps:.0f}", "cpu_us_per_req": cpu_us, "sys_us_per_req": sys_us, "p50_ms": f"{float(f['p50_ms']):.3f}",
               "p99_ms": f"{float(f['p99_ms']):.3f}", "rss_mib": rss, "metaspace_mib": meta, "classes": classes,
               "lines_per_req": f"{int(lines) / served:.4f}", "dropped": dropped or "-", "load1": load}))


def vm_events(path):
    """(epoch ms, kind) of the GC pauses and JIT compilations in a JVM's -Xlog file (timemillis decoration)."""
    events = []
    if not os.path.exists(path):
        return events
    for line in open(path, errors="replace"):
        m = re.match(r"\[(\d+)ms\]\[([\w,]+)\s*\]", line)
        if not m:
            continue
        if m.group(2) == "gc" and " Pause " in line:
            events.append((int(m.group(1)), "gc"))
        elif m.group(2) == "jit,compilation":
            events.append((int(m.group(1)), "jit"))
    return events


def interleaved(out):
    bursts = list(csv.DictReader(open(f"{out}/bursts.tsv"), delimiter="\t"))
    ends = list(csv.DictReader(open(f"{out}/end.tsv"), delimiter="\t"))
    hz = int(open(f"{out}/clk_tck").read())
    variants = [e["variant"] for e in ends]
    served = {v: wrk(f"{out}/warmup-{v}.txt")[0] + 2 for v in variants}
    rows, idle = [], []   # idle: (active variant, idle variant, idle JVM's CPU ms per s of the burst)
    for b in bursts:
        v, seconds = b["variant"], float(b["end_s"]) - float(b["start_s"])
        requests, rps = wrk(f"{out}/{b['cycle']}-{v}-burst.txt")
        served[v] += requests
        if os.path.exists(f"{out}/{b['cycle']}-{v}-leadin.txt"):
            served[v] += wrk(f"{out}/{b['cycle']}-{v}-leadin.txt")[0]
        ticks = {u: b[f"ticks_{u}"].split(":") for u in variants}
        cpu_us, sys_us = per_request(*ticks[v], hz, requests)
        rows.append(row({"round": b["cycle"], "variant": v, "req_per_s": f"{rps:.0f}", "cpu_us_per_req": cpu_us,
                         "sys_us_per_req": sys_us, "load1": b["load1"]}))
        for u in variants:
            idle.append((v, u, (cpu_ticks(ticks[u][1])[0] - cpu_ticks(ticks[u][0])[0]) / hz * 1e3 / seconds))
    for e in ends:
        v = e["variant"]
        rows.append(row({"round": "end", "variant": v, "startup_s": f"{float(e['startup_s']):.2f}", "rss_mib": e["rss_mib"],
                         "metaspace_mib": e["metaspace_mib"], "classes": e["classes"],
                         "lines_per_req": f"{int(e['lines']) / served[v]:.4f}", "dropped": e["dropped"],
                         "load1": e["load1"]}))
    with open(f"{out}/results.tsv", "w") as f:
        f.write("\t".join(COLUMNS) + "\n" + "\n".join(rows) + "\n")
    with open(f"{out}/idle.txt", "w") as f:
        f.write(idle_report(out, variants, bursts, idle))


def idle_report(out, variants, bursts, idle):
    """What the JVMs that wait do while another is measured: their CPU, GC pauses and JIT compilations."""
    windows = [(b["variant"], float(b["start_s"]) * 1e3, float(b["end_s"]) * 1e3) for b in bursts]
    lines = ["Idle JVMs during the other variants' bursts (each JVM's own figures; JIT: compilations and "
             "deoptimisations logged):", "",
             "| idle variant | CPU ms per s of another's burst: median (max) | GC pauses | JIT events "
             "| seconds of others' bursts | in its own bursts: CPU ms per s (median), GC pauses, JIT events |",
             "|---|---|---|---|---|---|"]
    for u in variants:
        shares = [s for v, w, s in idle if w == u and v != u]
        own = statistics.median(s for v, w, s in idle if w == u and v == u)
        events = vm_events(f"{out}/{u}-vm.log")
        def count(kind, own):
            return sum(1 for t, k in events if k == kind and any(
                lo <= t <= hi for v, lo, hi in windows if (v == u) == own))
        others = sum(hi - lo for v, lo, hi in windows if v != u) / 1e3
        lines.append(f"| {u} | {statistics.median(shares):.1f} ({max(shares):.1f}) | {count('gc', False)} "
                     f"| {count('jit', False)} | {others:.0f} | {own:.0f}, {count('gc', True)}, {count('jit', True)} |"
                     if shares else f"| {u} | – | | | | |")
    lines += ["", "More than a few JIT events of an idle JVM during the others' bursts mean its warm-up was too short: "
              "it compiles on the cores the measured JVM needs (see the first and second half of the ratios)."]
    return "\n".join(lines) + "\n"


def median_interval(xs, resamples=2000):
    """Percentile bootstrap of the median (fixed seed: the same rows give the same interval)."""
    rng = random.Random(12)
    medians = sorted(statistics.median(rng.choices(xs, k=len(xs))) for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


def summarize(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    others = [v for v in variants if v != "bare"]
    rounds = sorted(set(r["round"] for r in rows), key=lambda x: (not x.isdigit(), int(x) if x.isdigit() else 0))
    metrics = [("req_per_s", "throughput (req/s)"), ("cpu_us_per_req", "CPU µs/request"),
               ("sys_us_per_req", "… of it system time (µs/request)"),
               ("p50_ms", "p50 at fixed rate (ms)"), ("p99_ms", "p99 at fixed rate (ms)"),
               ("startup_s", "start-up to first response (s)"), ("rss_mib", "RSS (MiB)"),
               ("metaspace_mib", "metaspace used (MiB)"), ("classes", "loaded classes"),
               ("lines_per_req", "lines written ÷ requests")]

    def value(r, m):
        return float(r[m]) if r.get(m) not in (None, "", "-") else None

    def num(x):
        return f"{x:,.0f}" if x >= 1000 else f"{x:.3g}"

    def ratios(key, v):
        """Per round (cycle): the variant's value ÷ bare's in the same round."""
        out = []
        for rnd in rounds:
            a = [value(r, key) for r in rows if r["round"] == rnd and r["variant"] == v]
            b = [value(r, key) for r in rows if r["round"] == rnd and r["variant"] == "bare"]
            if a and b and a[0] is not None and b[0]:
                out.append(a[0] / b[0])
        return out

    def spread(xs):
        return f"{statistics.median(xs):.3f} ({min(xs):.2f}–{max(xs):.2f})" if len(xs) > 1 else f"{xs[0]:.3f}"

    print("| metric | " + " | ".join(f"{v}: median (range)" for v in variants) + " | "
          + " | ".join(f"{v}/bare: median (range) of the per-round ratios" for v in others) + " |")
    print("|---" * (1 + len(variants) + len(others)) + "|")
    for key, label in metrics:
        cells = []
        for v in variants:
            xs = [value(r, key) for r in rows if r["variant"] == v and value(r, key) is not None]
            cells.append(f"{num(statistics.median(xs))} ({num(min(xs))}–{num(max(xs))})" if xs else "–")
        cells += [spread(xs) if (xs := ratios(key, v)) else "–" for v in others]
        print(f"| {label} | " + " | ".join(cells) + " |")
    for key, label in [("cpu_us_per_req", "CPU µs/request"), ("req_per_s", "throughput")]:
        for v in others:
            xs = ratios(key, v)
            if len(xs) > 1:
                q = statistics.quantiles(xs, n=4) if len(xs) >= 4 else None
                iqr = (f"; interquartile range {q[0]:.3f}–{q[2]:.3f}; median {statistics.median(xs):.3f}, 95 % "
                       "bootstrap interval {:.3f}–{:.3f}".format(*median_interval(xs)) if q else "")
                # a trend across the rounds (cycles) means the run is not at steady state, e.g. a JVM still compiling
                half = len(xs) // 2
                trend = (f"; first half {statistics.median(xs[:half]):.3f}, second half {statistics.median(xs[-half:]):.3f}"
                         if len(xs) >= 6 else "")
                print(f"\n{label} {v}/bare per round: " + " ".join(f"{x:.2f}" for x in xs) + iqr + trend, end="")
    print()
    drops = [r["dropped"] for r in rows if r["dropped"] not in ("", "-")]
    if drops:
        print("\nstarter drop counter at the end of each run: " + ", ".join(drops))
    loads = [float(r["load1"]) for r in rows]
    print(f"load average (1 min) at the end of each phase: {min(loads):.2f}–{max(loads):.2f} ({len(loads)} readings)")
    idle = os.path.join(os.path.dirname(path), "idle.txt")
    if os.path.exists(idle):
        print("\n" + open(idle).read(), end="")


def thread_group(name):
    """Threads of one kind under one name: Tomcat's request threads, each JIT compiler, the GC workers, ..."""
    if name.startswith("http-nio-"):  # the kernel keeps 15 characters of a name: "http-nio-127.0."
        return "request threads (Tomcat)"
    if name.startswith(("GC Thread", "G1 ")):
        return "GC"
    return re.sub(r"[-#]?\d+$", "", name)


def threads(before, after, hz, wrk_output):
    """CPU per request by thread group between two thread_ticks snapshots of one JVM (threads that ended between the
    snapshots are missing; Tomcat keeps its request threads while wrk saturates it)."""
    def load(path):
        return {f[0]: f for f in (line.rstrip("\n").split("\t") for line in open(path)) if len(f) == 4}
    a, b, hz = load(before), load(after), int(hz)
    requests = wrk(wrk_output)[0]
    groups = {}
    for tid, (_, name, user, system) in b.items():
        if tid in a:
            g = groups.setdefault(thread_group(name), [0, 0])
            g[0] += int(user) - int(a[tid][2])
            g[1] += int(system) - int(a[tid][3])
    per = 1e6 / hz / requests
    print("| thread group | user µs/request | system µs/request |\n|---|---|---|")
    for name, (user, system) in sorted(groups.items(), key=lambda kv: -sum(kv[1])):
        if user + system:
            print(f"| {name} | {user * per:.1f} | {system * per:.1f} |")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"round": per_round_row, "interleaved": lambda a: interleaved(a[0]), "summarize": lambda a: summarize(a[0]),
     "threads": lambda a: threads(*a)}[command](args)
