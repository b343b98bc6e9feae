#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests (decarb-store runs every test on SQLite and,
# when DECARB_TEST_POSTGRES_URL is set, on PostgreSQL; under CI=true it requires it).
#
#   source .ci/postgres.sh      # installs PostgreSQL if missing, starts it, exports the URL
#   stop_postgres               # stops it and removes its files
#
# Idempotent: sourcing it again while the cluster runs only re-exports the URL. Works as root
# (the server then runs as the `postgres` user) or as an ordinary user. Port: DECARB_PG_PORT
# (default 54329). The cluster lives in a fresh temporary directory with fsync off: it is for
# tests only.

DECARB_PG_PORT="${DECARB_PG_PORT:-54329}"
DECARB_PG_STATE="${TMPDIR:-/tmp}/decarb-postgres-${DECARB_PG_PORT}.dir"

_decarb_pg_bin() {
  local dir
  # `|| true`: under `set -euo pipefail` (as .ci/run sources this) a missing PostgreSQL must not
  # end the caller's shell before we get to install it.
  dir="$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  fi
}

# Runs a command as the user that owns the cluster.
_decarb_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local bin dir
  bin="$(_decarb_pg_bin)"
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "postgres.sh: PostgreSQL is not installed and this is not root; install the postgresql package" >&2
      return 1
    fi
    echo "postgres.sh: installing PostgreSQL from Debian packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin="$(_decarb_pg_bin)"
    if [ -z "$bin" ]; then
      echo "postgres.sh: no initdb under /usr/lib/postgresql/*/bin after installing" >&2
      return 1
    fi
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi

  # Already running (sourced twice, or a previous run): reuse it.
  if [ -f "$DECARB_PG_STATE" ] && "$bin/pg_isready" -q -h 127.0.0.1 -p "$DECARB_PG_PORT"; then
    export DECARB_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:${DECARB_PG_PORT}/postgres"
    return 0
  fi
  if [ -f "$DECARB_PG_STATE" ]; then
    # A stale cluster from a killed run: clear it.
    dir="$(cat "$DECARB_PG_STATE")"
    _decarb_pg_as_owner "$bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$DECARB_PG_STATE"
  fi

  dir="$(mktemp -d "${TMPDIR:-/tmp}/decarb-postgres.XXXXXX")"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
  fi
  _decarb_pg_as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
    || _decarb_pg_as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
  _decarb_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p ${DECARB_PG_PORT} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  echo "$dir" >"$DECARB_PG_STATE"
  export DECARB_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:${DECARB_PG_PORT}/postgres"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port ${DECARB_PG_PORT}" >&2
}

stop_postgres() {
  local bin dir
  [ -f "$DECARB_PG_STATE" ] || return 0
  bin="$(_decarb_pg_bin)"
  dir="$(cat "$DECARB_PG_STATE")"
  if [ -n "$bin" ]; then
    _decarb_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir" "$DECARB_PG_STATE"
  unset DECARB_TEST_POSTGRES_URL
}

# Sourced: start now. Run as a script: start, and print the URL for the caller.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  start_postgres
  echo "$DECARB_TEST_POSTGRES_URL"
else
  start_postgres
fi
