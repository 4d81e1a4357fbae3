#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests that need more than the
# always-running server: pg_stat_statements preloaded, hypopg available, a
# password-protected role, or a server the test may stop and start.
#
# Usage: scripts/test-postgres.sh [--port N] [--pgbin DIR]
#   Prints "postgres://postgres@127.0.0.1:PORT/postgres" on the first line of
#   stdout once the server accepts connections, then stays in the foreground.
#   The cluster is stopped and its directory deleted when this script gets
#   SIGTERM/SIGINT or when its stdin reaches EOF (so a parent that dies, even
#   by kill -9, takes the cluster with it when it holds our stdin open).
#
# Extras in the cluster:
#   - shared_preload_libraries = pg_stat_statements (track = all)
#   - hypopg installable with CREATE EXTENSION hypopg (Debian postgresql-15-hypopg)
#   - role tenon_pw with password 'tenon-secret', required over TCP (scram-sha-256)
#   - role tenon_scram (no login): its members must give their password over TCP
#   - TLS (ssl = on) with a self-signed certificate for localhost and 127.0.0.1
#     (SHOW ssl_cert_file names it; it is its own CA), and role tenon_tls that may
#     connect over TLS only (skipped, with ssl = off, when openssl is missing)
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --pgbin) PGBIN="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# A bin dir without client tools (the npm builds of scripts/postgres-versions.sh) uses the system psql.
PSQL="$PGBIN/psql"
[ -x "$PSQL" ] || PSQL=$(command -v psql)

if [ -z "$PORT" ]; then
  PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
fi

DIR=$(mktemp -d /tmp/tenon-pg-XXXXXX)
chmod 755 "$DIR"
# PostgreSQL refuses to run as root; run it as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi

cleanup() {
  trap - EXIT INT TERM
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
  { cat "$DIR/initdb.log" >&2; exit 1; }

cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
CONF
if command -v openssl >/dev/null 2>&1 &&
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DIR/data/server.key" -out "$DIR/data/server.crt" >"$DIR/openssl.log" 2>&1; then
  chmod 600 "$DIR/data/server.key"
  chmod 644 "$DIR/data/server.crt"
  if [ "$(id -u)" = 0 ]; then chown postgres "$DIR/data/server.key" "$DIR/data/server.crt"; fi
  printf "ssl = on\nssl_cert_file = '%s'\nssl_key_file = '%s'\n" \
    "$DIR/data/server.crt" "$DIR/data/server.key" >>"$DIR/data/postgresql.conf"
fi
# The password and TLS-only roles are checked first; everyone else is trusted (with or without TLS), as on the CI server.
cat >"$DIR/data/pg_hba.conf" <<HBA
local all all trust
host all tenon_pw 127.0.0.1/32 scram-sha-256
host all +tenon_scram 127.0.0.1/32 scram-sha-256
hostnossl all tenon_tls 127.0.0.1/32 reject
host all all 127.0.0.1/32 trust
host all all ::1/128 trust
HBA

as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 start >/dev/null ||
  { cat "$DIR/server.log" >&2; exit 1; }
as_pg "$PSQL" -h "$DIR" -p "$PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
  -c "create role tenon_pw login password 'tenon-secret'" \
  -c "create role tenon_tls login" \
  -c "create role tenon_scram nologin" \
  -c "create extension pg_stat_statements" >/dev/null

echo "postgres://postgres@127.0.0.1:$PORT/postgres"

# Stay up until told to stop or until our parent goes away (stdin EOF).
cat >/dev/null || true
