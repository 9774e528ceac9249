#!/usr/bin/env bash
# bench/traffic.sh: how mkplat traffic compares with wrk and hey, in one run on loopback.
#
#   bench/traffic.sh                      # everything, about 8 minutes; writes docs/BENCHMARKS.md "## traffic"
#   DURATION=10s CONNECTIONS=32 bench/traffic.sh
#   NO_WRITE=1 bench/traffic.sh           # print the section instead of writing it
#
# Targets: nginx serving a static file (started here on 127.0.0.1:18080, one worker), and the api
# service's GET / on 127.0.0.1:3000 (used when it answers; otherwise started here from
# services/api/target/api.jar without a database, since / does not need one).
# Measures, against each target with the same connections and duration:
#   closed loop   mkplat traffic --closed vs wrk vs hey                    goal >= 0.8x wrk, >= 1.5x hey
#                 (requests/s, and CPU seconds per request of each tool's own process)
#   open model    mkplat traffic at 1k, 5k, 10k rps: achieved vs target,    goal within 1% at 5k
#                 schedule lag (nginx only)
#   memory        peak RSS of a 60 s run at 5k rps (nginx)                  goal < 300 MB
# Installs what is missing: wrk and nginx with apt-get, hey with `go install` into ~/.cache/mkplat/bench.
# mkplat runs as a user runs it, through scripts/mkplat (for `traffic`: full JIT, serial GC, heap of
# at most 160 MB); extra rows show `java -jar` with the JVM's defaults (G1, a quarter of RAM as heap).
# The arithmetic is in bench/lib/numbers.py; how to read the numbers, and what was tried before them, is
# docs/BENCHMARKS.md "## traffic: notes", written by hand and left as it is by this script.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib/jdk.sh
source scripts/lib/jdk.sh
# shellcheck source=lib/nginx.sh
source bench/lib/nginx.sh
mkplat_use_jdk >/dev/null

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
RSS_SECONDS=${RSS_SECONDS:-60}
HEY_VERSION=v0.1.4
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/mkplat/bench
NGINX_PORT=18080
API_URL=http://127.0.0.1:3000/
jar=cli/target/mkplat.jar

log() { echo "traffic.sh: $*" >&2; }

# --- tools -------------------------------------------------------------------------------------
apt_updated=false
need_apt() {  # command package
  command -v "$1" >/dev/null && return 0
  $apt_updated || { log "apt-get update"; apt-get update -qq >&2; apt_updated=true; }
  log "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
}
need_apt wrk wrk
need_apt nginx nginx
need_apt python3 python3
need_apt /usr/bin/time time
hey=$CACHE/bin/hey
if [ ! -x "$hey" ]; then
  command -v go >/dev/null || need_apt go golang-go
  log "installing hey $HEY_VERSION into $CACHE/bin"
  (cd /tmp && GOBIN=$CACHE/bin GOFLAGS=-mod=mod go install "github.com/rakyll/hey@$HEY_VERSION") >&2
fi
[ -f "$jar" ] || scripts/mkplat --version >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  nginx_stop "$work"
  rm -rf "$work"
}
trap cleanup EXIT

# --- targets -----------------------------------------------------------------------------------
NGINX_URL=$(nginx_start "$work" "$NGINX_PORT")

api_note="api was already running on :3000"
if ! curl -fsS -o /dev/null "$API_URL" 2>/dev/null; then
  if [ -f services/api/target/api.jar ]; then
    log "starting services/api/target/api.jar on :3000 (no database: GET / does not need one)"
    SERVER_HOST=127.0.0.1 SERVER_PORT=3000 java -jar services/api/target/api.jar >"$work/api.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 150); do curl -fsS -o /dev/null "$API_URL" 2>/dev/null && break; sleep 0.2; done
    api_note="api started by this script from services/api/target/api.jar, without a database"
  fi
fi
if curl -fsS -o /dev/null "$API_URL" 2>/dev/null; then
  targets=("nginx $NGINX_URL" "api $API_URL")
else
  log "api is not answering on $API_URL (build it with ./mvnw -pl services/api -am package); benchmarking nginx only"
  targets=("nginx $NGINX_URL")
  api_note="api not available: not measured"
fi

# --- runners -----------------------------------------------------------------------------------
numbers() { python3 bench/lib/numbers.py "$@"; }
json_field() { numbers json-field "$1" "$2"; }
# Each closed-loop tool runs under /usr/bin/time: "RATE CPU_US" = requests/s and the CPU time (user +
# system) of its process per request, in microseconds. The CPU figure depends less on what else the
# shared machine runs than the rate does. mkplat's includes JVM start-up, JIT compilation and warm-up.
cpu_us() { numbers cpu-us "$1" "$2"; }  # time-file requests
mkplat_closed() {  # url launcher...
  local url=$1; shift
  /usr/bin/time -f '%U %S' -o "$work/time" "$@" traffic --url "$url" --closed --connections "$CONNECTIONS" \
    --duration "$DURATION" --out "$work/closed.json" >/dev/null 2>&1
  echo "$(json_field "$work/closed.json" 'round(d["total"]["rate"])') $(cpu_us "$work/time" "$(json_field "$work/closed.json" 'd["total"]["count"]')")"
}
wrk_closed() {
  local out
  out=$(/usr/bin/time -f '%U %S' -o "$work/time" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$1")
  echo "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out") $(cpu_us "$work/time" "$(awk '/requests in/ {print $1}' <<<"$out")")"
}
hey_closed() {
  local out
  out=$(/usr/bin/time -f '%U %S' -o "$work/time" "$hey" -c "$CONNECTIONS" -z "$DURATION" "$1")
  echo "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out") $(cpu_us "$work/time" "$(awk '/responses/ {n += $2} END {print n + 0}' <<<"$out")")"
}
ratio() { numbers ratio "$1" "$2"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

load_before=$(loadavg)
rows_closed=""
for target in "${targets[@]}"; do
  read -r name url <<<"$target"
  log "closed loop against $name ($url): $CONNECTIONS connections, $DURATION each"
  read -r m mc <<<"$(mkplat_closed "$url" scripts/mkplat)"
  read -r w wc <<<"$(wrk_closed "$url")"
  read -r h hc <<<"$(hey_closed "$url")"
  rows_closed+="| $name | $m | $w | $h | **$(ratio "$m" "$w")** | **$(ratio "$m" "$h")** | $mc | $wc | $hc | $(loadavg | cut -d' ' -f1) |"$'\n'
  if [ "$name" = nginx ]; then
    read -r d dc <<<"$(mkplat_closed "$url" java -jar "$jar")"
    defaults_row="| nginx, mkplat as \`java -jar\` (JVM defaults) | $d | $w | $h | $(ratio "$d" "$w") | $(ratio "$d" "$h") | $dc | $wc | $hc | $(loadavg | cut -d' ' -f1) |"
  fi
done

rows_open=""
open_5k_off=n/a
for rate in 1000 5000 10000; do
  log "open model against nginx at $rate rps for $DURATION"
  scripts/mkplat traffic --url "$NGINX_URL" --rps "$rate" --duration "$DURATION" --out "$work/open.json" >/dev/null 2>&1 || true
  rows_open+=$(json_field "$work/open.json" "'| %d | %.1f | %+.2f%% | %d | %d | %.2f | %.2f | %.1f | %.2f | %.2f |' % (d['targetRate'], d['arrivals']['achievedRate'], 100*(d['arrivals']['achievedRate']/d['targetRate']-1), d['arrivals']['sent'], d['arrivals']['dropped'], d['scheduleLag']['p50Ms'], d['scheduleLag']['p99Ms'], d['scheduleLag']['maxMs'], d['total']['latency']['p50Ms'], d['total']['latency']['p99Ms'])")$'\n'
  if [ "$rate" = 5000 ]; then
    open_5k_off=$(json_field "$work/open.json" "'%.2f' % (100*(d['arrivals']['achievedRate']/d['targetRate']-1))")
  fi
done

rows_rss=""
peak_rss() {  # label, command...: peak RSS of one 5k rps run, sampled every second
  local label=$1; shift
  log "memory: $RSS_SECONDS s at 5000 rps against nginx, $label"
  "$@" traffic --url "$NGINX_URL" --rps 5000 --duration "${RSS_SECONDS}s" --out "$work/rss.json" >/dev/null 2>&1 &
  local pid=$! peak=0 kb
  while kill -0 "$pid" 2>/dev/null; do
    # the JVM's RSS, also when the command is the scripts/mkplat wrapper
    for p in "$pid" $(pgrep -P "$pid" 2>/dev/null); do
      kb=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
      [ "${kb:-0}" -gt "$peak" ] && peak=$kb
    done
    sleep 1
  done
  wait "$pid" || true
  [ -n "${rss_launcher:-}" ] || rss_launcher=$((peak / 1024))
  rows_rss+="| $label | $((peak / 1024)) | $(json_field "$work/rss.json" "'%.1f | %d | %d' % (d['arrivals']['achievedRate'], d['arrivals']['sent'], d['arrivals']['dropped'])") |"$'\n'
}
peak_rss "scripts/mkplat (serial GC, -Xms96m -Xmn64m -Xmx160m)" scripts/mkplat
peak_rss "java -jar (JVM defaults)" java -jar "$jar"
load_after=$(loadavg)

# --- report ------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
jdk=$(java -version 2>&1 | head -1)
verdict() { numbers verdict "$@"; }  # label value goal-expression (python, x = value) needed
rows_verdict=""
while IFS='|' read -r _ name m w h rw rh _; do
  name=$(xargs <<<"$name"); rw=$(tr -d '* ' <<<"$rw"); rh=$(tr -d '* ' <<<"$rh")
  [ -n "$name" ] || continue
  rows_verdict+="$(verdict "closed loop vs wrk, $name" "$rw" 'x >= 0.8' '≥ 0.8×')"$'\n'
  rows_verdict+="$(verdict "closed loop vs hey, $name" "$rh" 'x >= 1.5' '≥ 1.5×')"$'\n'
done <<<"$rows_closed"
rows_verdict+="$(verdict "open model at 5k rps, achieved vs target (%)" "$open_5k_off" 'abs(x) <= 1' 'within ±1%')"$'\n'
rows_verdict+="$(verdict "peak RSS, 60 s at 5k rps, scripts/mkplat (MB)" "$rss_launcher" 'x < 300' '< 300 MB')"$'\n'
section=$(cat <<MD
## traffic

\`bench/traffic.sh\`, $(date -u +%Y-%m-%dT%H:%MZ). Machine: $(nproc) cores ($cpu), $mem, $jdk.
Load average (1, 5, 15 min) before the run $load_before, after it $load_after: the machine is shared with
other engineers' builds and benchmarks, and every number here moves with it (the closed-loop table gives
the 1-minute load after each row). Everything on loopback; generator and target share the same $(nproc) cores.
nginx: 1 worker, a 612-byte static file. $api_note. mkplat runs through \`scripts/mkplat\`, as a user runs it.

### Verdict

| goal | measured | needed | |
| --- | ---: | --- | --- |
$rows_verdict
### Closed loop: $CONNECTIONS connections for $DURATION (goal: ≥ 0.8× wrk, ≥ 1.5× hey)

Requests/s, their ratios, and CPU time (user + system) of each tool's own process per request, in µs.
mkplat's CPU includes JVM start-up, JIT compilation and its warm-up requests.

| target | mkplat --closed | wrk -t2 | hey | mkplat / wrk | mkplat / hey | mkplat µs/req | wrk µs/req | hey µs/req | load after |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$rows_closed$defaults_row

### Open model against nginx, $DURATION each (goal: within 1% of target at 5k rps)

Achieved = requests sent / duration. Schedule lag = how late each send was against its intended time.

| target rps | achieved rps | off by | sent | dropped | lag p50 ms | lag p99 ms | lag max ms | latency p50 ms | latency p99 ms |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$rows_open
### Memory (goal: RSS < 300 MB over 60 s at 5k rps)

Peak RSS of \`mkplat traffic --rps 5000 --duration ${RSS_SECONDS}s\` against nginx, sampled every second.

| JVM | peak RSS MB | achieved rps | sent | dropped |
| --- | ---: | ---: | ---: | ---: |
$rows_rss
How to read these numbers, and what was measured before them: [traffic: notes](#traffic-notes).

MD
)
if [ -n "${NO_WRITE:-}" ]; then
  echo "$section"
  exit 0
fi
python3 bench/lib/markdown_section.py docs/BENCHMARKS.md traffic <<<"$section"
log "wrote the traffic section of docs/BENCHMARKS.md"
echo "$section"
