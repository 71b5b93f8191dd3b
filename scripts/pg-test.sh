#!/usr/bin/env bash
# A throwaway PostgreSQL for tests (ARCHITECTURE §6): initdb + pg_ctl on a free loopback port.
#
#   scripts/pg-test.sh start DIR   initialise DIR (if new), start the server, print its Npgsql connection string
#   scripts/pg-test.sh stop DIR    stop the server of DIR (fast shutdown)
#
#   export NEOCLOUD_TEST_PG=$(scripts/pg-test.sh start /tmp/pgtest)
#
# Only the connection string goes to stdout; progress and errors go to stderr.
set -euo pipefail

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
verb=$1
dir=$2
os_user=postgres

find_bin() {
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$candidate" && -x "$candidate/pg_ctl" ]]; then
        echo "$candidate"
        return 0
    fi

    # Distributions that put the server on PATH (Fedora, Arch, Homebrew).
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi

    return 1
}

# Runs a command as the OS user that owns the cluster: initdb and postgres refuse to run as root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$os_user" -- "$@"
        else
            su "$os_user" -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi

    local port
    for port in $(seq 54320 54420); do
        if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
            echo "$port"
            return
        fi
    done

    echo "pg-test: no free port in 54320-54420" >&2
    exit 1
}

start() {
    local bin
    if ! bin=$(find_bin); then
        echo "pg-test: no PostgreSQL server binaries found; installing the postgresql package" >&2
        if [[ $(id -u) -ne 0 ]]; then
            echo "pg-test: installing needs root; install the postgresql server package and run again" >&2
            exit 1
        fi

        DEBIAN_FRONTEND=noninteractive apt-get update >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
        bin=$(find_bin) || { echo "pg-test: PostgreSQL server binaries still not found after install" >&2; exit 1; }
    fi

    if [[ $(id -u) -eq 0 ]]; then
        if ! id "$os_user" >/dev/null 2>&1; then
            useradd --system --home-dir /var/lib/postgresql --shell /bin/sh "$os_user" >&2
        fi
    else
        os_user=$(id -un)
    fi

    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
        chown "$os_user" "$dir"
    fi

    chmod 700 "$dir"
    local data="$dir/data"
    if [[ ! -f "$data/PG_VERSION" ]]; then
        # Trust auth on loopback only: this cluster is for tests and listens on 127.0.0.1 alone.
        as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
            || as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C >&2
    fi

    if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$data" stop -m fast >&2
    fi

    local port
    port=$(free_port)
    # Durability is switched off: a test cluster trades crash safety for speed.
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >&2
    echo "$port" >"$dir/port"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=postgres;Include Error Detail=true"
}

stop() {
    local bin
    bin=$(find_bin) || { echo "pg-test: no PostgreSQL server binaries found" >&2; exit 1; }
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        echo "pg-test: $dir holds no test cluster" >&2
        exit 1
    fi

    if [[ $(id -u) -eq 0 ]]; then
        os_user=$(stat -c %U "$dir/data")
    fi

    as_owner "$bin/pg_ctl" -D "$dir/data" stop -m fast >&2
}

case "$verb" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
