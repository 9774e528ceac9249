#!/bin/sh
# Entrypoint of mkplat's PostgreSQL stand-in image (scripts/images standins). It does what the
# official postgres image's entrypoint does for the settings manifests/db uses, written anew for
# busybox sh: on an empty PGDATA it runs initdb with POSTGRES_USER, the password from
# POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE and POSTGRES_INITDB_ARGS; starts a temporary server
# on the Unix socket only; creates POSTGRES_DB; runs /docker-entrypoint-initdb.d/*.sql and *.sh
# (psql with ON_ERROR_STOP, as the superuser); stops it; lets other hosts in with
# POSTGRES_HOST_AUTH_METHOD; then execs the server with the container's arguments.
# Unlike the official one it never runs as root (there is no gosu): run it as uid 999.
set -eu

# "docker run image -c x=y" means "postgres -c x=y", as with the official image.
if [ "${1#-}" != "$1" ]; then
  set -- postgres "$@"
fi

if [ "$1" = postgres ]; then
  : "${PGDATA:=/var/lib/postgresql/data}"
  export PGDATA
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
    POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE")
  fi
  POSTGRES_USER=${POSTGRES_USER:-postgres}
  POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
  auth_method=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"

  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth_method" != trust ]; then
      echo "error: the database is uninitialized and no superuser password is set: set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE" >&2
      exit 1
    fi
    pwfile=$(mktemp)
    trap 'rm -f "$pwfile"' EXIT
    printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
    # Word splitting of POSTGRES_INITDB_ARGS is intended, as in the official image. No locale
    # files in this image: UTF8 with the C locale.
    # shellcheck disable=SC2086
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C ${POSTGRES_INITDB_ARGS:-}
    rm -f "$pwfile"
    # The official image's postgresql.conf listens everywhere; the socket where Debian's clients look.
    printf "\nlisten_addresses = '*'\nunix_socket_directories = '/var/run/postgresql'\n" >>"$PGDATA/postgresql.conf"
    printf '\nhost all all all %s\n' "$auth_method" >>"$PGDATA/pg_hba.conf"

    # The temporary server: socket only, so that nothing reaches it (or a readiness probe on TCP
    # sees it) before the init scripts are done.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
    export PGHOST=/var/run/postgresql PGPORT=5432
    psql_init() { psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"; }
    if [ "$POSTGRES_DB" != postgres ]; then
      psql_init --dbname postgres --set db="$POSTGRES_DB" <<'EOSQL'
CREATE DATABASE :"db" ;
EOSQL
    fi
    for f in /docker-entrypoint-initdb.d/*; do
      [ -e "$f" ] || continue
      case $f in
        *.sh)
          # shellcheck source=/dev/null # the user's init scripts, as the postgres image sources them
          if [ -x "$f" ]; then echo "running $f"; "$f"; else echo "sourcing $f"; . "$f"; fi ;;
        *.sql) echo "running $f"; psql_init --dbname "$POSTGRES_DB" -f "$f" ;;
        *.sql.gz) echo "running $f"; gunzip -c "$f" | psql_init --dbname "$POSTGRES_DB" ;;
        *) echo "ignoring $f" ;;
      esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop
    unset PGHOST PGPORT
    echo "PostgreSQL init process complete; ready for start up."
  fi
fi

exec "$@"
