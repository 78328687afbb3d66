#!/bin/sh
# A throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg_throwaway.sh start DIR   initdb in DIR/data (trust, superuser postgres), start the
#                                       server on a Unix socket in DIR only (no TCP), print the
#                                       connection URI on stdout
#   scripts/pg_throwaway.sh stop DIR    stop it (fast shutdown); DIR itself is left to the caller
#
# As root (initdb and postgres refuse to run as root) both run as the user postgres, with DIR
# given to it. The binaries: $PG_BIN, else the newest /usr/lib/postgresql/*/bin, else PATH.
set -eu

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do bin=$candidate; done
fi
if [ -z "$bin" ]; then
  initdb_path=$(command -v initdb 2>/dev/null || true)
  [ -n "$initdb_path" ] && bin=$(dirname "$initdb_path")
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "pg_throwaway: PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql or set PG_BIN" >&2
  exit 3
fi

# Runs a command as the cluster's owner: postgres when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      # su: quote each argument for the shell it starts.
      quoted=""
      for arg in "$@"; do quoted="$quoted '$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")'"; done
      su postgres -s /bin/sh -c "$quoted"
    fi
  else
    "$@"
  fi
}

port=5432  # the socket lives in DIR, so any port is free there
case $action in
  start)
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      echo "pg_throwaway: running as root needs a user 'postgres' to own the cluster" >&2
      exit 3
    fi
    # A Unix socket path is at most 107 bytes: DIR/.s.PGSQL.5432 must fit.
    if [ ${#dir} -gt 90 ]; then
      echo "pg_throwaway: '$dir' is too long for a socket directory (at most 90 characters)" >&2
      exit 2
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -p $port -c listen_addresses=''" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&port=$port&user=postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    ;;
  *) usage ;;
esac
