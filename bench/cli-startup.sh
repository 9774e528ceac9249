#!/usr/bin/env bash
# bench/cli-startup.sh: how long `mkplat --help` takes, wall clock, from the shell's point of view.
#
#   bench/cli-startup.sh            # 30 runs per variant after 3 warm-up runs
#   RUNS=100 bench/cli-startup.sh
#
# Goal: scripts/mkplat --help in <= 150 ms median. Besides the launcher itself it times the JVM
# option sets it is made of, so a regression can be traced to one of them:
#   plain      java -jar mkplat.jar
#   c1         + -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
#   c1+cache   + the AOT cache (JDK 25) or CDS archive the launcher made
#   +thresholds  + -XX:CompileThresholdScaling=20 (fewer C1 compilations), as the launcher runs --help
#   launcher   scripts/mkplat (bash + the above)
#   kubectl    kubectl --help, the yardstick of issue 16 (goal: launcher <= 1.5x), when installed
# Uses hyperfine when installed (its CPU column is the mean); otherwise a loop over `date +%s%N`.
# Prints a Markdown table for
# docs/BENCHMARKS.md, with the machine's core count and load average, which skew every number.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jdk.sh
source scripts/lib/jdk.sh
mkplat_use_jdk >/dev/null

RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
jar=cli/target/mkplat.jar

scripts/mkplat --version >/dev/null # builds the jar and the class cache when missing
cache=cli/target/mkplat.aot
cache_opt=-XX:AOTCache=$cache
if [ ! -f "$cache" ]; then
  cache=cli/target/mkplat.jsa
  cache_opt=-XX:SharedArchiveFile=$cache
fi

names=(plain c1 c1+cache +thresholds launcher)
commands=(
  "java -jar $jar --help"
  "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -jar $jar --help"
  "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData $cache_opt -Xlog:aot=off -Xlog:cds=off -jar $jar --help"
  "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -XX:CompileThresholdScaling=20 $cache_opt -Xlog:aot=off -Xlog:cds=off -jar $jar --help"
  "scripts/mkplat --help"
)
if command -v kubectl >/dev/null 2>&1; then
  names+=(kubectl)
  commands+=("kubectl --help")
fi

# Prints "median mean min max cpu" in milliseconds of RUNS runs of $1: wall-clock statistics, and
# the median CPU time (user + sys, from /usr/bin/time when installed), which a busy machine skews
# far less than the wall clock.
# shellcheck disable=SC2086 # $command is a command line: word splitting is the point
measure() {
  local command=$1 i start end cpu_file
  local -a samples=() cpu=()
  cpu_file=$(mktemp)
  for ((i = 0; i < WARMUP; i++)); do $command >/dev/null 2>&1; done
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -o "$cpu_file" -f '%U %S' $command >/dev/null 2>&1
    else
      $command >/dev/null 2>&1
    fi
    end=$(date +%s%N)
    samples+=($(((end - start) / 1000000)))
    [ -s "$cpu_file" ] && cpu+=("$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$cpu_file")")
  done
  rm -f "$cpu_file"
  local cpu_median=-
  if [ ${#cpu[@]} -gt 0 ]; then
    cpu_median=$(printf '%s\n' "${cpu[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%d", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  fi
  printf '%s\n' "${samples[@]}" | sort -n | awk -v cpu="$cpu_median" '
    { v[NR] = $1; sum += $1 }
    END {
      median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%d %d %d %d %s\n", median, sum / NR, v[1], v[NR], cpu
    }'
}

echo "| variant | median ms | mean ms | min ms | max ms | CPU ms (median) |"
echo "|---|---:|---:|---:|---:|---:|"
for i in "${!names[@]}"; do
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --runs "$RUNS" --warmup "$WARMUP" --export-json /tmp/mkplat-bench.$$.json "${commands[$i]}" >/dev/null 2>&1
    read -r median mean min max cpu < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(*(round(r[k] * 1000) for k in ("median", "mean", "min", "max")), round((r["user"] + r["system"]) * 1000))' /tmp/mkplat-bench.$$.json)
    rm -f /tmp/mkplat-bench.$$.json
  else
    read -r median mean min max cpu < <(measure "${commands[$i]}")
  fi
  echo "| ${names[$i]} | $median | $mean | $min | $max | $cpu |"
done
echo
echo "$RUNS runs each after $WARMUP warm-up; $(java -version 2>&1 | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
