# shellcheck shell=bash
# The reference server of the traffic benchmarks: nginx with one worker serving a 612-byte file
# (the size of its welcome page) from WORK on 127.0.0.1:PORT, no access log, keep-alive without
# limit. Prints its URL once it answers; stop it with nginx_stop WORK.

nginx_start() { # work port
  local work=$1 port=$2
  mkdir -p "$work/root"
  chmod 755 "$work" "$work/root" # nginx workers run as an unprivileged user
  head -c 612 /dev/zero | tr '\0' 'x' >"$work/root/index.html"
  cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  server { listen 127.0.0.1:$port; root $work/root; location / { } }
}
NGINX
  nginx -c "$work/nginx.conf" -p "$work"
  curl -fsS -o /dev/null "http://127.0.0.1:$port/"
  printf 'http://127.0.0.1:%s/\n' "$port"
}

nginx_stop() { # work
  if [ -f "$1/nginx.pid" ]; then kill "$(cat "$1/nginx.pid")" 2>/dev/null || true; fi
}
