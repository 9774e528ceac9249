#!/usr/bin/env bash
# bench/deploy.sh: what `mkplat deploy` costs against a local apiserver (the test cluster).
#
#   bench/deploy.sh              # 5 runs of each measurement
#   RUNS=10 bench/deploy.sh
#
# Measures, through scripts/mkplat (the launcher users run, with its class cache):
#   create, no wait   deploy --no-wait on a cluster without the platform: render, generate the
#                     Secrets, apply every object (server-side apply), write the inventory.
#                     Goal: <= 2 s. This is the client's overhead; waits are excluded.
#   rerun, no wait    the same again: every object unchanged (a read and a no-op apply each).
#   ready             deploy on a cluster without the platform until every workload is Ready by
#                     the rollout rules (kwok marks pods Ready; no container runs). Goal: <= 15 s.
# Each is reported as the wall time of the process and as deploy's own "in N s" (which leaves out
# JVM start-up). Prints a Markdown table for docs/BENCHMARKS.md ("## deploy") with the machine's
# cores and load average, which skew every number on a shared 2-core machine.
#
# Needs the test cluster: scripts/test-cluster up (or MKPLAT_TEST_KUBECONFIG pointing at a
# cluster you may wipe: the benchmark runs `destroy --purge-data` between runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

RUNS=${RUNS:-5}
if [ -z "${MKPLAT_TEST_KUBECONFIG:-}" ]; then
  if scripts/test-cluster status >/dev/null 2>&1; then
    eval "$(scripts/test-cluster env)"
  else
    echo "bench/deploy.sh: error: no test cluster; run scripts/test-cluster up (or set MKPLAT_TEST_KUBECONFIG)" >&2
    exit 1
  fi
fi
kubeconfig=$MKPLAT_TEST_KUBECONFIG

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" # certs/ is generated here, not in the checkout

mk() { "$root/scripts/mkplat" "$@" --kubeconfig "$kubeconfig"; }
now() { date +%s.%N; }
wipe() { mk destroy --yes --purge-data >/dev/null; }
# Runs one deploy, appends "wall inner" to the file $1.
timed() {
  local out=$1 start end inner
  shift
  start=$(now)
  mk deploy "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  end=$(now)
  inner=$(sed -n 's/^deploy: .* in \([0-9.]*\)s$/\1/p' "$work/log" | tail -1)
  echo "$(echo "$end - $start" | bc) $inner" >>"$out"
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
column() { awk -v c="$2" '{print $c}' "$1" | median; }

mk --version >/dev/null # builds the jar and the class cache when missing
wipe
mk deploy --no-wait >/dev/null # warm-up: the apiserver's caches, the page cache
wipe
objects="?"

for _ in $(seq "$RUNS"); do
  timed "$work/create" --no-wait
  objects=$(sed -n 's/^deploy: \([0-9]*\) created.*/\1/p' "$work/log")
  timed "$work/rerun" --no-wait
  wipe
  timed "$work/ready"
  wipe
done

load=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
cat <<TABLE
Machine: $(nproc) cores ($cpu), $mem, load average $load during the run; Java $(java -version 2>&1 | head -1 | cut -d'"' -f2);
$RUNS runs each, medians; $objects objects; test cluster (kwok, Kubernetes $(kubectl --kubeconfig "$kubeconfig" version -o json 2>/dev/null | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1)).

| measurement | process wall (s) | deploy's own (s) | goal |
| --- | --- | --- | --- |
| create, no wait | $(column "$work/create" 1) | $(column "$work/create" 2) | <= 2 s |
| rerun, no wait (all unchanged) | $(column "$work/rerun" 1) | $(column "$work/rerun" 2) | |
| ready (whole platform Ready on kwok) | $(column "$work/ready" 1) | $(column "$work/ready" 2) | <= 15 s |
TABLE
