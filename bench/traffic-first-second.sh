#!/usr/bin/env bash
# bench/traffic-first-second.sh: is `mkplat traffic --closed` at full speed from its first second?
#
#   bench/traffic-first-second.sh              # 3 rounds of 10 s runs against nginx
#   ROUNDS=5 DURATION=10s bench/traffic-first-second.sh
#
# Each round runs, in turn, against nginx (one worker, a 612-byte file, on 127.0.0.1:18081):
#   wrk -t2 -c64                                              full speed from its first request
#   scripts/mkplat traffic --closed --connections 64          with its traffic class cache (AOT cache
#                                                             trained on a short closed run, JDK 25)
#   the same with MKPLAT_NO_CACHE=1                           what the launcher did before the cache
# and prints per round the whole-run rate and the first second's rate (from the report's timeline),
# each as a ratio to wrk's whole-run rate of the same round, then the medians. Installs wrk and
# nginx with apt-get when missing. Run it on a quiet machine: generator and server share the cores.
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

# The first traffic run after a build makes the cache; not part of the measurement.
scripts/mkplat traffic --url "$url" --closed --connections 4 --duration 1s --no-thresholds >/dev/null 2>&1

mkplat_run() { # label, env... : prints "whole first" in requests/s
  local out=$work/$1.json
  shift
  env "$@" scripts/mkplat traffic --url "$url" --closed --connections "$CONNECTIONS" --duration "$DURATION" \
    --no-thresholds --out "$out" >/dev/null 2>&1
  python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
timeline = r["timeline"]
whole = sum(p["requests"] for p in timeline) / max(timeline[-1]["second"], 1e-9)
print(f"{whole:.0f} {timeline[0]['rate']:.0f}")
PY
}

echo "| round | wrk req/s | mkplat cached: whole | first second | whole ÷ wrk | first ÷ wrk | no cache: whole | first second | whole ÷ wrk | first ÷ wrk | load |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
rows=()
for round in $(seq 1 "$ROUNDS"); do
  wrk_rate=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$url" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
  read -r cw cf < <(mkplat_run cached)
  read -r nw nf < <(mkplat_run nocache MKPLAT_NO_CACHE=1)
  row=$(awk -v w="$wrk_rate" -v cw="$cw" -v cf="$cf" -v nw="$nw" -v nf="$nf" \
    'BEGIN { printf "%.2f %.2f %.2f %.2f", cw / w, cf / w, nw / w, nf / w }')
  rows+=("$row")
  read -r a b c d <<<"$row"
  echo "| $round | $wrk_rate | $cw | $cf | $a | $b | $nw | $nf | $c | $d | $(cut -d' ' -f1 /proc/loadavg) |"
done
printf '%s\n' "${rows[@]}" | python3 -c '
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
m = [statistics.median(column) for column in zip(*rows)]
print(f"\nmedians over {len(rows)} rounds: cached whole {m[0]:.2f}x wrk, first second {m[1]:.2f}x; "
      f"no cache whole {m[2]:.2f}x, first second {m[3]:.2f}x")'
echo "$DURATION runs, $CONNECTIONS connections; $(java -version 2>&1 | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
