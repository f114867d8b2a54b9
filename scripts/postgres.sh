#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the benchmark of the PostgreSQL session store
# (crates/native-server/README.md#postgresql).
#
#   scripts/postgres.sh run CMD [ARG...]   install PostgreSQL from Debian's packages when missing,
#                                          start a new cluster on a free loopback port, run CMD
#                                          with WORKFLOW_TEST_POSTGRES_URL (and the variables
#                                          below) set, then stop the cluster and remove it
#   scripts/postgres.sh stop | start       stop or start that cluster again (the database-restart
#                                          test does); needs the variables `run` sets
#
# `run` exports WORKFLOW_TEST_POSTGRES_URL (a superuser URL with trust authentication, database
# `postgres`; tests create a database each), WORKFLOW_TEST_POSTGRES_DATA (the data folder),
# WORKFLOW_TEST_POSTGRES_PORT and WORKFLOW_TEST_POSTGRES_SOCKET. The cluster keeps PostgreSQL's
# durable defaults (fsync, synchronous_commit), so the benchmark measures what production pays.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

bin_dir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir)"
    if [ -x "$dir/initdb" ]; then
      echo "$dir"
      return
    fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ]; then
      echo "$dir"
      return
    fi
  done
}

install() {
  if [ -n "$(bin_dir)" ]; then
    return
  fi
  echo "== installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  if [ -z "$(bin_dir)" ]; then
    echo "PostgreSQL's server programs are still missing after apt-get install" >&2
    exit 1
  fi
}

# Runs a command as the cluster's owner: `postgres` when this script runs as root (PostgreSQL
# refuses to run as root), the current user otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_start() {
  as_owner "$(bin_dir)/pg_ctl" -D "$WORKFLOW_TEST_POSTGRES_DATA" -l "$WORKFLOW_TEST_POSTGRES_DATA/log" -w -t 60 \
    -o "-p $WORKFLOW_TEST_POSTGRES_PORT -k $WORKFLOW_TEST_POSTGRES_SOCKET -c listen_addresses=127.0.0.1" \
    start >/dev/null
}

pg_stop() {
  as_owner "$(bin_dir)/pg_ctl" -D "$WORKFLOW_TEST_POSTGRES_DATA" -m fast -w -t 60 stop >/dev/null
}

run() {
  install
  local bin root
  bin="$(bin_dir)"
  root="$(mktemp -d /tmp/wfs-pg-XXXXXX)"
  chmod 755 "$root"
  mkdir "$root/data" "$root/socket"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$root/data" "$root/socket"
  fi
  export WORKFLOW_TEST_POSTGRES_DATA="$root/data" WORKFLOW_TEST_POSTGRES_SOCKET="$root/socket"
  as_owner "$bin/initdb" -D "$root/data" -A trust -U postgres --no-instructions >/dev/null
  local tries=0
  while :; do
    WORKFLOW_TEST_POSTGRES_PORT=$((20000 + RANDOM % 40000))
    export WORKFLOW_TEST_POSTGRES_PORT
    if port_free "$WORKFLOW_TEST_POSTGRES_PORT" && pg_start; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then
      echo "cannot start PostgreSQL; its log:" >&2
      cat "$root/data/log" >&2 || true
      exit 1
    fi
  done
  export WORKFLOW_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$WORKFLOW_TEST_POSTGRES_PORT/postgres"
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$WORKFLOW_TEST_POSTGRES_PORT (throwaway cluster in $root)" >&2
  local status=0
  "$@" || status=$?
  pg_stop || true
  rm -rf "$root"
  return "$status"
}

case "${1:-}" in
  run)
    shift
    [ "$#" -gt 0 ] || { echo "usage: $0 run CMD [ARG...]" >&2; exit 2; }
    run "$@"
    ;;
  start) pg_start ;;
  stop) pg_stop ;;
  *)
    echo "usage: $0 run CMD [ARG...] | start | stop" >&2
    exit 2
    ;;
esac
