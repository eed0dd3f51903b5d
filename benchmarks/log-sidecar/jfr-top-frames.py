#!/usr/bin/env python3
"""Top frames of a JDK 17 flight recording (whose `jfr` has no `view`): share of execution samples
per method at the top of the stack (self), per package at the top of the stack, and per io.sightline
method anywhere on it (inclusive; stacks read 64 frames deep, `jfr print` stops at 5 unless told), plus
the collector's pauses, which execution samples (Java threads only) do not show.
Usage: jfr-top-frames.py recording.jfr [how-many]"""
import collections
import re
import subprocess
import sys


def jfr_print(events):
    return subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", events, sys.argv[1]],
                          capture_output=True, text=True, check=True).stdout


limit = int(sys.argv[2]) if len(sys.argv) > 2 else 15
self_time, packages, inclusive, threads, samples = (collections.Counter(), collections.Counter(),
                                                    collections.Counter(), collections.Counter(), 0)
for event in jfr_print("jdk.ExecutionSample").split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>/]+)\(.*?\)\s+line:", event, re.M)
    if not frames:
        continue
    samples += 1
    self_time[frames[0]] += 1
    packages[frames[0].rsplit(".", 2)[0]] += 1
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    threads[thread.group(1) if thread else "?"] += 1
    for frame in set(frames):
        if frame.startswith("io.sightline"):
            inclusive[frame] += 1
print(f"{samples} samples; by thread: " + ", ".join(f"{t} {100 * c / samples:.0f}%" for t, c in threads.most_common(4)))
print("self:")
for frame, count in self_time.most_common(limit):
    print(f"  {100 * count / samples:5.1f}%  {frame}")
print("self, by package:")
for package, count in packages.most_common(limit):
    print(f"  {100 * count / samples:5.1f}%  {package}")
print("inclusive (io.sightline):")
for frame, count in inclusive.most_common(limit):
    print(f"  {100 * count / samples:5.1f}%  {frame}")
MS = {"s": 1000.0, "ms": 1.0, "us": 0.001, "ns": 0.000001}
pauses = [float(value) * MS[unit] for value, unit in
          re.findall(r"sumOfPauses = ([\d.]+) (s|ms|us|ns)\b", jfr_print("jdk.GarbageCollection"))]
print(f"collections: {len(pauses)}, pauses {sum(pauses) / 1000:.2f} s")
