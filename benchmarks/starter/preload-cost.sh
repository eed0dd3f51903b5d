#!/usr/bin/env bash
# The class preload's cost per name inside a demo fat jar's class loader: the list's names absent (a class missing
# from a package the class path has; a package no jar has) and present (first load, then again). One fresh JVM
# per run, the preload itself off; prints wall and CPU ms of the loading thread per set.
# Usage: benchmarks/starter/preload-cost.sh DEMO_JAR [LIST] [RUNS]
#   (LIST default: the starter's preload-classes.txt; RUNS default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=$1
LIST=${2:-telemetry-starter/src/main/resources/META-INF/sightline/preload-classes.txt}
OUT=$(mktemp -d)
javac -d "$OUT" benchmarks/starter/startup/PreloadCost.java
for run in $(seq 1 "${3:-3}"); do
  echo "run $run (load $(cut -d' ' -f1 /proc/loadavg))"
  java -Xms256m -Xmx256m -Dsightline.startup.preload.enabled=false -Dloader.path="$OUT" -Dloader.main=PreloadCost \
    -cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher "$(realpath "$LIST")"
done
