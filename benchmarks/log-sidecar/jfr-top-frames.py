#!/usr/bin/env python3
"""Top frames of a JDK 17 flight recording (whose `jfr` has no `view`): share of execution samples
per method at the top of the stack (self) and per io.sightline method anywhere on it (inclusive).
Usage: jfr-top-frames.py recording.jfr [how-many]"""
import collections
import re
import subprocess
import sys

text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", sys.argv[1]],
                      capture_output=True, text=True, check=True).stdout
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 15
self_time, inclusive, threads, samples = collections.Counter(), collections.Counter(), collections.Counter(), 0
for event in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>/]+)\(.*?\)\s+line:", event, re.M)
    if not frames:
        continue
    samples += 1
    self_time[frames[0]] += 1
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    threads[thread.group(1) if thread else "?"] += 1
    for frame in set(frames):
        if frame.startswith("io.sightline"):
            inclusive[frame] += 1
print(f"{samples} samples; by thread: " + ", ".join(f"{t} {100 * c / samples:.0f}%" for t, c in threads.most_common(4)))
print("self:")
for frame, count in self_time.most_common(limit):
    print(f"  {100 * count / samples:5.1f}%  {frame}")
print("inclusive (io.sightline):")
for frame, count in inclusive.most_common(limit):
    print(f"  {100 * count / samples:5.1f}%  {frame}")
