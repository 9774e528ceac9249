#!/usr/bin/env bash
# bench/services.sh: the services' hot routes against nginx serving a static file, with wrk on
# loopback, in one run, so that every ratio compares numbers taken under the same machine load.
#
#   bench/services.sh                  # build if needed, start scripts/run-local, measure, stop it
#   bench/services.sh --reuse          # measure services that are already running (API_URL, AUTH_URL)
#   bench/services.sh -d 10s -r 2      # shorter: 10 s per run, 2 rounds
#
# Options (environment variables in brackets):
#   --reuse            use the services at API_URL and AUTH_URL (default http://127.0.0.1:3000 and
#                      :5000) instead of starting scripts/run-local; their JVM options are whatever
#                      they were started with (the table says which)
#   --rebuild          pass --rebuild to scripts/run-local
#   -t N  [THREADS]      wrk threads (2)          -c N  [CONNECTIONS]  wrk connections (64)
#   -d D  [DURATION]     one measured run (20s)   -w D  [WARMUP]       warm-up run per target (10s)
#   -r N  [ROUNDS]       rounds; every round runs every target once, in turn (3)
#   -o DIR [OUT]         keep wrk's raw output and the summary here (default: a temp dir, kept)
#   [SERVICE_JAVA_OPTIONS] JVM options for the services started here (-XX:TieredStopAtLevel=4, see below)
#
# Targets, all with the same wrk settings, one after the other in each round:
#   nginx static file    GET /smallfile from nginx (own config, 1 worker, access log off, a free port)
#   api GET /            a constant JSON body: server, routing, request filter, access log, metrics
#   api GET /items/{id}  with a Bearer token: the token check (cached in api) + one Postgres SELECT
#   auth GET /verify     with a Bearer token: one Redis GET
#   auth GET /           no goal; shows what /verify costs over auth's own baseline
# The user, token and item are made here through auth's /register and /login and api's POST /items.
# Goals (issue 2): api GET / >= 0.8x nginx; GET /items/{id} and GET /verify >= 0.5x api GET /.
#
# scripts/run-local starts the services with -XX:TieredStopAtLevel=1 (C1 only, for a fast start).
# That is not how they run in production (the Dockerfiles use the default tiered JIT), so this
# script sets _JAVA_OPTIONS=-XX:TieredStopAtLevel=4 (SERVICE_JAVA_OPTIONS), which the JVM applies
# after the command line. SERVICE_JAVA_OPTIONS= (empty) measures run-local's own settings.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-}
API_URL=${API_URL:-http://127.0.0.1:3000}
AUTH_URL=${AUTH_URL:-http://127.0.0.1:5000}
REUSE=false
REBUILD=()

usage() { sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --reuse) REUSE=true ;;
    --rebuild) REBUILD=(--rebuild) ;;
    -t) THREADS=$2; shift ;;
    -c) CONNECTIONS=$2; shift ;;
    -d) DURATION=$2; shift ;;
    -w) WARMUP=$2; shift ;;
    -r) ROUNDS=$2; shift ;;
    -o) OUT=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "services.sh: error: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "services.sh: $*" >&2; }
die() { echo "services.sh: error: $*" >&2; exit 1; }

# --- machine facts, before anything of ours runs -------------------------------------------------
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
DATE_START=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- tools ---------------------------------------------------------------------------------------
apt_updated=false
need() {  # command package...
  command -v "$1" >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "$1 is missing; install it with: sudo apt-get install -y ${*:2}"
  $apt_updated || { log "apt-get update"; apt-get update -qq >&2; apt_updated=true; }
  log "installing ${*:2}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${@:2}" >&2
}
need wrk wrk
need curl curl
if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then
  need nginx nginx-light || need nginx nginx
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
# shellcheck source=../scripts/lib/jdk.sh
source scripts/lib/jdk.sh
mkplat_use_jdk >/dev/null

OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/mkplat-bench-services.XXXXXX")}
mkdir -p "$OUT"
work=$(mktemp -d "${TMPDIR:-/tmp}/mkplat-bench-work.XXXXXX")
run_local_pid=""
cleanup() {
  trap - EXIT INT TERM
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  if [ -n "$run_local_pid" ]; then
    log "stopping scripts/run-local"
    kill -TERM "$run_local_pid" 2>/dev/null || true
    wait "$run_local_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for port in $(seq 18100 18199); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  die "no free port in 18100-18199 for nginx"
}

# --- the services --------------------------------------------------------------------------------
if ! $REUSE; then
  API_URL=http://127.0.0.1:3000 AUTH_URL=http://127.0.0.1:5000
  if curl -fsS -o /dev/null -m 2 "$API_URL/" 2>/dev/null; then
    die "something already answers on :3000; stop it, or measure it with --reuse"
  fi
  log "starting scripts/run-local ${REBUILD[*]} (log: $OUT/run-local.log) ..."
  _JAVA_OPTIONS="${SERVICE_JAVA_OPTIONS--XX:TieredStopAtLevel=4}" setsid scripts/run-local "${REBUILD[@]}" >"$OUT/run-local.log" 2>&1 &
  run_local_pid=$!
  for _ in $(seq 1 900); do
    grep -q 'api ready' "$OUT/run-local.log" && grep -q 'auth ready' "$OUT/run-local.log" && break
    kill -0 "$run_local_pid" 2>/dev/null || { cat "$OUT/run-local.log" >&2; die "scripts/run-local stopped"; }
    sleep 0.5
  done
  grep -q 'api ready' "$OUT/run-local.log" || die "the services did not get ready in 450 s; see $OUT/run-local.log"
fi
curl -fsS -o /dev/null -m 5 "$API_URL/readyz" || die "api is not ready at $API_URL/readyz"
curl -fsS -o /dev/null -m 5 "$AUTH_URL/readyz" || die "auth is not ready at $AUTH_URL/readyz"

jvm_options() {  # url: the JVM options of the process listening on the url's port
  local port=${1##*:} pid
  pid=$(ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
  [ -n "$pid" ] || { echo "unknown"; return; }
  local opts
  opts=$(tr '\0' ' ' <"/proc/$pid/cmdline" | grep -o -- '-X[^ ]*' | tr '\n' ' ' || true)
  local env_opts
  env_opts=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^_JAVA_OPTIONS=//p' || true)
  echo "${opts:-(defaults)}${env_opts:+ + _JAVA_OPTIONS=$env_opts}"
}

# --- test data: a user, its token, one of its items ----------------------------------------------
user="bench_$(date +%s)_$RANDOM"
password="bench-password-$RANDOM$RANDOM"
credentials="{\"username\":\"$user\",\"password\":\"$password\"}"
curl -fsS -o /dev/null -XPOST "$AUTH_URL/register" -H 'Content-Type: application/json' -d "$credentials" \
  || die "POST $AUTH_URL/register failed"
token=$(curl -fsS -XPOST "$AUTH_URL/login" -H 'Content-Type: application/json' -d "$credentials" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "POST $AUTH_URL/login gave no token"
item=$(curl -fsS -XPOST "$API_URL/items" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"benchmark item","description":"read over and over by bench/services.sh"}' \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$item" ] || die "POST $API_URL/items gave no id"
AUTH_HEADER="Authorization: Bearer $token"
curl -fsS -o /dev/null -H "$AUTH_HEADER" "$API_URL/items/$item" || die "GET /items/$item does not answer 200"
curl -fsS -o /dev/null -H "$AUTH_HEADER" "$AUTH_URL/verify" || die "GET /verify does not answer 200"

# --- nginx: its own config and port, from a temp dir ---------------------------------------------
NGINX_PORT=$(free_port)
mkdir -p "$work/root" "$work/logs"
chmod 755 "$work" "$work/root"  # nginx's worker runs as nobody when started by root
# The same bytes as api's GET / body, so both send an equally small response.
curl -fsS "$API_URL/" >"$work/root/smallfile"
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  default_type application/json;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; root $work/root; location / { } }
}
NGINX
"$NGINX" -c "$work/nginx.conf" -p "$work" -e "$work/logs/error.log"
curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/smallfile" || die "nginx does not serve on :$NGINX_PORT"

# name|url|header
# name|url|header. auth GET / is not in the goals: it shows what /verify costs over auth's own baseline.
targets=(
  "nginx static file|http://127.0.0.1:$NGINX_PORT/smallfile|"
  "api GET /|$API_URL/|"
  "api GET /items/{id}|$API_URL/items/$item|$AUTH_HEADER"
  "auth GET /verify|$AUTH_URL/verify|$AUTH_HEADER"
  "auth GET /|$AUTH_URL/|"
)

run_wrk() {  # duration name url header -> raw output on stdout
  local duration=$1 name=$2 url=$3 header=$4
  if [ -n "$header" ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H "$header" "$url"
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency "$url"
  fi
}
ms() {  # a wrk latency (123.45us, 1.23ms, 1.02s) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.2f", n }'
}

log "warm-up: $WARMUP per target"
for target in "${targets[@]}"; do
  IFS='|' read -r name url header <<<"$target"
  run_wrk "$WARMUP" "$name" "$url" "$header" >"$OUT/warmup-${name//[^a-zA-Z]/_}.txt"
done

results="$OUT/results.tsv"   # round name rps p50ms p99ms errors
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
  for target in "${targets[@]}"; do
    IFS='|' read -r name url header <<<"$target"
    log "round $round/$ROUNDS: $name ($DURATION, -t$THREADS -c$CONNECTIONS), load $(cut -d' ' -f1 /proc/loadavg)"
    raw="$OUT/round$round-${name//[^a-zA-Z]/_}.txt"
    run_wrk "$DURATION" "$name" "$url" "$header" >"$raw"
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$raw")
    p50=$(ms "$(awk '$1 == "50%" {print $2}' "$raw")")
    p99=$(ms "$(awk '$1 == "99%" {print $2}' "$raw")")
    errors=$(awk '/Non-2xx or 3xx responses/ {n += $NF} /Socket errors/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i} END {print n + 0}' "$raw")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$rps" "$p50" "$p99" "$errors" >>"$results"
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
jdk=$(java -version 2>&1 | head -1)
summary=$(awk -F'\t' -v rounds="$ROUNDS" -v goal_api=0.8 -v goal_dep=0.5 '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    if (!($2 in seen)) { seen[$2] = 1; order[++count] = $2 }
    rps[$2] = rps[$2] " " $3; p50[$2] = p50[$2] " " $4; p99[$2] = p99[$2] " " $5; err[$2] += $6
    r[$1, $2] = $3
  }
  END {
    print "| target | req/s (median) | req/s per round | p50 ms | p99 ms | errors |"
    print "| --- | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= count; i++) {
      n = order[i]; per = rps[n]; sub(/^ /, "", per); gsub(/ /, ", ", per)
      printf "| %s | %d | %s | %.2f | %.2f | %d |\n", n, median(rps[n]), per, median(p50[n]), median(p99[n]), err[n]
      med[n] = median(rps[n])
    }
    print ""
    print "| ratio (of median req/s) | value | per round | goal | result |"
    print "| --- | ---: | ---: | ---: | --- |"
    split("api GET /|nginx static file|" goal_api "#api GET /items/{id}|api GET /|" goal_dep \
      "#auth GET /verify|api GET /|" goal_dep "#auth GET /verify|auth GET /|", rows, "#")
    for (k = 1; k <= 4; k++) {
      split(rows[k], f, "|"); a = f[1]; b = f[2]; g = f[3]
      value = med[b] ? med[a] / med[b] : 0
      per = ""
      for (rr = 1; rr <= rounds; rr++) per = per (rr > 1 ? ", " : "") sprintf("%.2f", r[rr, b] ? r[rr, a] / r[rr, b] : 0)
      if (g == "") printf "| %s ÷ %s | %.2f | %s | (no goal) | |\n", a, b, value, per
      else printf "| %s ÷ %s | %.2f | %s | >= %s | %s |\n", a, b, value, per, g, (value >= g ? "pass" : "miss")
    }
  }' "$results")
cat <<MD | tee "$OUT/summary.md"
$summary

- command: \`bench/services.sh$( $REUSE && echo " --reuse") -t $THREADS -c $CONNECTIONS -d $DURATION -w $WARMUP -r $ROUNDS\`
  (wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), a $WARMUP warm-up per target, then $ROUNDS rounds of every target in turn)
- date: $DATE_START; load average at start $LOAD_START, at end $LOAD_END
- machine: $(nproc) cores ($cpu), $mem, kernel $(uname -r); wrk, nginx, the JVMs, Postgres and Redis share these cores
- JDK: $jdk; api JVM options: $(jvm_options "$API_URL"); auth: $(jvm_options "$AUTH_URL")
- nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'): 1 worker, access log off, a $(wc -c <"$work/root/smallfile")-byte file (the bytes of api's GET /)
- raw wrk output: $OUT
MD
