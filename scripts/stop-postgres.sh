#!/usr/bin/env bash
# Stops a cluster started by scripts/start-postgres.sh and removes its run directory.
# Usage: scripts/stop-postgres.sh RUNDIR
set -euo pipefail

RUNDIR=${1:-}
if [ -z "$RUNDIR" ]; then
  echo "usage: scripts/stop-postgres.sh RUNDIR" >&2
  exit 2
fi
PGDATA_DIR="$RUNDIR/pg"
if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
  echo "stop-postgres: $RUNDIR is not a run directory made by start-postgres.sh" >&2
  exit 2
fi

if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
  PID=$(head -n 1 "$PGDATA_DIR/postmaster.pid")
  if kill -INT "$PID" 2>/dev/null; then
    for _ in $(seq 1 300); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$PID" 2>/dev/null; then
      echo "stop-postgres: postmaster $PID did not stop within 30 s" >&2
      exit 1
    fi
  fi
fi
rm -rf "$RUNDIR"
echo "stop-postgres: stopped and removed $RUNDIR" >&2
