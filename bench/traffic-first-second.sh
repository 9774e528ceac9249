#!/usr/bin/env bash
# bench/traffic-first-second.sh: is `mkplat traffic --closed` at full speed from its first second?
#
#   bench/traffic-first-second.sh                         # 3 rounds of 10 s runs against nginx
#   ROUNDS=5 DURATION=10s bench/traffic-first-second.sh
#   BASELINE=/path/to/other/checkout bench/traffic-first-second.sh   # also that checkout's build
#
# Each round runs, in turn, against nginx (one worker, a 612-byte file, on 127.0.0.1:18081):
#   wrk -t2 -c64                                              full speed from its first request
#   scripts/mkplat traffic --closed --connections 64          with its traffic class cache (AOT cache
#                                                             trained on a short closed run, JDK 25)
#   the same with MKPLAT_NO_CACHE=1                           without the class cache
#   $BASELINE/scripts/mkplat traffic ... (when BASELINE set)  another build (e.g. before a change), cached
# and prints per round and variant the whole-run rate and the rate of each of the first three
# seconds (from the report's timeline), each as a ratio to wrk's whole-run rate of the same round,
# then the medians of those ratios. Installs wrk and nginx with apt-get when missing. Generator and
# server share the cores: on a busy machine only ratios of the same round mean anything.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib/jdk.sh
source scripts/lib/jdk.sh
# shellcheck source=lib/nginx.sh
source bench/lib/nginx.sh
mkplat_use_jdk >/dev/null

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18081}
log() { echo "traffic-first-second.sh: $*" >&2; }

for tool in wrk nginx; do
  command -v "$tool" >/dev/null && continue
  log "installing $tool"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >&2
done

work=$(mktemp -d)
cleanup() {
  nginx_stop "$work"
  rm -rf "$work"
}
trap cleanup EXIT
url=$(nginx_start "$work" "$PORT")

variants=(cached nocache)
launchers=(scripts/mkplat scripts/mkplat)
envs=("" MKPLAT_NO_CACHE=1)
if [ -n "${BASELINE:-}" ]; then
  variants+=(baseline)
  launchers+=("$BASELINE/scripts/mkplat")
  envs+=("")
fi

# The first traffic run after a build makes the cache; not part of the measurement.
for launcher in "${launchers[@]}"; do
  "$launcher" traffic --url "$url" --closed --connections 4 --duration 1s --no-thresholds >/dev/null 2>&1
done

mkplat_run() { # launcher, env... : prints "whole s1 s2 s3" in requests/s
  local launcher=$1 out=$work/run.json
  shift
  env "$@" "$launcher" traffic --url "$url" --closed --connections "$CONNECTIONS" --duration "$DURATION" \
    --no-thresholds --out "$out" >/dev/null 2>&1
  python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
timeline = r["timeline"]
whole = sum(p["requests"] for p in timeline) / max(timeline[-1]["second"], 1e-9)
first = [p["rate"] for p in timeline[:3]] + [0] * 3
print(f"{whole:.0f} {first[0]:.0f} {first[1]:.0f} {first[2]:.0f}")
PY
}

echo "| round | wrk req/s | variant | whole req/s | whole ÷ wrk | 1st s ÷ wrk | 2nd s ÷ wrk | 3rd s ÷ wrk | load |"
echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
ratios=$work/ratios
for round in $(seq 1 "$ROUNDS"); do
  wrk_rate=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$url" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
  for i in "${!variants[@]}"; do
    # shellcheck disable=SC2086 # envs[i] is empty or one NAME=VALUE
    read -r whole s1 s2 s3 < <(mkplat_run "${launchers[$i]}" ${envs[$i]})
    read -r a b c d < <(awk -v w="$wrk_rate" -v x="$whole" -v p="$s1" -v q="$s2" -v r="$s3" \
      'BEGIN { printf "%.2f %.2f %.2f %.2f\n", x / w, p / w, q / w, r / w }')
    echo "${variants[$i]} $a $b $c $d" >>"$ratios"
    echo "| $round | $wrk_rate | ${variants[$i]} | $whole | $a | $b | $c | $d | $(cut -d' ' -f1 /proc/loadavg) |"
  done
done
python3 - "$ratios" <<'PY'
import collections, statistics, sys
by = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, *values = line.split()
    by[name].append([float(v) for v in values])
print()
for name, rows in by.items():
    m = [statistics.median(column) for column in zip(*rows)]
    print(f"medians over {len(rows)} rounds, {name}: whole {m[0]:.2f}x wrk, "
          f"1st second {m[1]:.2f}x, 2nd {m[2]:.2f}x, 3rd {m[3]:.2f}x")
PY
echo "$DURATION runs, $CONNECTIONS connections; $(java -version 2>&1 | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
