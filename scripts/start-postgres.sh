#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the store's tests (trust auth, 127.0.0.1 only, fsync off).
# Installs PostgreSQL with apt only when no initdb is present. Everything but the two export lines goes
# to stderr, so a caller can run:   eval "$(scripts/start-postgres.sh)"
# and later stop it with:           scripts/stop-postgres.sh "$BULWARK_PG_RUNDIR"
set -euo pipefail

log() { printf 'start-postgres: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs packages and runs the server as the postgres user)"
  exit 2
fi

find_bin() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$initdb" ]; then dirname "$initdb"; fi
}

PGBIN=$(find_bin)
if [ -z "$PGBIN" ]; then
  log "initdb not found; installing postgresql"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
  PGBIN=$(find_bin)
fi
if [ -z "$PGBIN" ]; then
  log "initdb still not found under /usr/lib/postgresql/*/bin after installing postgresql"
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT=""
for candidate in 5432 5433; do
  if ! port_in_use "$candidate"; then PORT=$candidate; break; fi
done
if [ -z "$PORT" ]; then
  log "ports 5432 and 5433 are both taken on 127.0.0.1"
  exit 1
fi

RUNDIR=$(mktemp -d); chmod 755 "$RUNDIR"
PGDATA_DIR="$RUNDIR/pg"; install -d -o postgres -g postgres "$PGDATA_DIR"
su postgres -c "$PGBIN/initdb -D $PGDATA_DIR -A trust -U postgres --no-sync" >&2
su postgres -c "$PGBIN/pg_ctl -D $PGDATA_DIR -o '-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA_DIR -c fsync=off' -l $PGDATA_DIR/server.log -w start" >&2

log "PostgreSQL ($(basename "$(dirname "$PGBIN")")) listening on 127.0.0.1:$PORT, data in $PGDATA_DIR"
echo "export BULWARK_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
echo "export BULWARK_PG_RUNDIR=$RUNDIR"
