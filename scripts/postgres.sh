#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and CI. Never use it for data you want to keep: it runs with
# fsync, synchronous_commit and full_page_writes off, and trusts every local connection.
#
#   scripts/postgres.sh start    start (or find already running) and print its URL
#   scripts/postgres.sh stop     stop it and delete its directory
#   scripts/postgres.sh status   print "running <url>" (exit 0) or "not running" (exit 1)
#   scripts/postgres.sh url      print the URL it listens on (whether running or not)
#
# Environment: TANDEM_TEST_PG_PORT (default 55432). Everything lives in /tmp/tandem-pg-$PORT:
# data/ (the cluster), the unix socket, and server.log; /tmp/tandem-pg-$PORT.lock serializes
# start and stop.
# Exit 3: PostgreSQL is not installed (apt-get install -y --no-install-recommends postgresql).
#
# initdb refuses to run as root, so as root the server commands run as the `postgres` user, in a
# directory that user owns; as anyone else they run as that user.
set -euo pipefail

PORT="${TANDEM_TEST_PG_PORT:-55432}"
BASE_DIR="/tmp/tandem-pg-${PORT}"
DATA_DIR="${BASE_DIR}/data"
LOG_FILE="${BASE_DIR}/server.log"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"

usage() {
  echo "usage: $0 start|stop|status|url" >&2
  exit 2
}

# The newest /usr/lib/postgresql/<version>/bin that has pg_ctl, or nothing.
find_bin_dir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "${dir}/pg_ctl" && -x "${dir}/initdb" ]] || continue
    if [[ -z "$best" ]] || [[ "$(printf '%s\n%s\n' "$best" "$dir" | sort -V | tail -n 1)" == "$dir" ]]; then
      best="$dir"
    fi
  done
  printf '%s' "$best"
}

require_bin_dir() {
  BIN_DIR="$(find_bin_dir)"
  if [[ -z "$BIN_DIR" ]]; then
    echo "postgres.sh: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl)." >&2
    echo "postgres.sh: install it with: apt-get install -y --no-install-recommends postgresql" >&2
    exit 3
  fi
}

# Runs a command as the postgres user when we are root, directly otherwise. The lock's fd 9 is
# closed for it: a server started with it open would hold the lock for its whole life.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    su postgres -s /bin/bash -c "cd /tmp && $(printf '%q ' "$@")" 9<&-
  else
    "$@" 9<&-
  fi
}

is_running() {
  [[ -f "${DATA_DIR}/PG_VERSION" ]] && as_owner "${BIN_DIR}/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

init_cluster() {
  rm -rf "$BASE_DIR"
  mkdir -p "$BASE_DIR"
  chmod 700 "$BASE_DIR"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres:postgres "$BASE_DIR"
  fi
  as_owner "${BIN_DIR}/initdb" -D "$DATA_DIR" --auth=trust --username=postgres \
    --encoding=UTF8 --locale=C --no-sync >"${BASE_DIR}/initdb.log" 2>&1 || {
    echo "postgres.sh: initdb failed:" >&2
    cat "${BASE_DIR}/initdb.log" >&2
    exit 1
  }
  # Test-only settings: durability off for speed, loopback only, room for parallel test files.
  # (Appending keeps the file's owner, so this needs no su.)
  cat >>"${DATA_DIR}/postgresql.conf" <<EOF

# --- scripts/postgres.sh (throwaway test server) ---
port = ${PORT}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${BASE_DIR}'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start() {
  require_bin_dir
  if is_running; then
    echo "postgres.sh: already running on port ${PORT}" >&2
    echo "$URL"
    return 0
  fi
  # Always a fresh cluster: a directory left by a killed run is thrown away, not trusted.
  init_cluster
  if ! as_owner "${BIN_DIR}/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start >/dev/null 2>&1; then
    echo "postgres.sh: the server did not start on port ${PORT}; last lines of ${LOG_FILE}:" >&2
    tail -n 20 "$LOG_FILE" >&2 2>/dev/null || true
    exit 1
  fi
  echo "postgres.sh: started PostgreSQL $("${BIN_DIR}/postgres" --version | awk '{print $3}') on port ${PORT} (${BASE_DIR})" >&2
  echo "$URL"
}

stop() {
  require_bin_dir
  if is_running; then
    as_owner "${BIN_DIR}/pg_ctl" -D "$DATA_DIR" -m fast -w -t 60 stop >/dev/null
    echo "postgres.sh: stopped the server on port ${PORT}" >&2
  fi
  rm -rf "$BASE_DIR"
}

status() {
  require_bin_dir
  if is_running; then
    echo "running $URL"
  else
    echo "not running"
    return 1
  fi
}

# Serializes start and stop, so that two test runs starting at once don't initdb over each other.
lock() {
  local file="/tmp/tandem-pg-${PORT}.lock"
  [[ -e "$file" ]] || : >"$file"
  exec 9<"$file" # read-only is enough for flock, and works on a lock file another user created
  flock -w 120 9 || { echo "postgres.sh: timed out waiting for /tmp/tandem-pg-${PORT}.lock" >&2; exit 1; }
}

[[ $# -eq 1 ]] || usage
case "$1" in
  start) lock; start ;;
  stop) lock; stop ;;
  status) status ;;
  url) echo "$URL" ;;
  *) usage ;;
esac
