#!/usr/bin/env bash
# Tern's side of docs/performance.md: starts `./tern serve` with a fresh data directory (the embedded
# default: 127.0.0.1:2525, domain localhost), adds the mailbox users, runs the matrix of bench/matrix.sh
# with `tern bench --maildir DATA/mail`, and stops the server.
#
#   bench/run-tern.sh
#   TERN_BENCH_DATA=/some/dir CONNS="1 20" bench/run-tern.sh
#   TERN_BENCH_TOML='[queue]
#   journal = false' bench/run-tern.sh          the embedded default plus these lines of configuration
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/matrix.sh

DATA="${TERN_BENCH_DATA:-/var/tmp/tern-bench/tern-data}"
PORT=2525
LOG="$RESULTS/tern-serve.log"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "run-tern: something already listens on 127.0.0.1:$PORT; stop it first" >&2
  exit 1
fi

rm -rf "$DATA"
mkdir -p "$DATA"
./tern --help >/dev/null 2>&1 || true # builds target/tern.jar if needed, before anything is timed
for i in $(seq "$USERS"); do
  echo "bench-password-$i" | ./tern user add --data "$DATA" "user$i@localhost" >/dev/null
done

source bench/tern-config.sh
tern_bench_config "$DATA"
./tern serve --data "$DATA" "${config[@]}" > "$LOG" 2>&1 &
server=$!
stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop_server EXIT

up=no
for _ in $(seq 300); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "run-tern: tern serve exited; see $LOG" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    up=yes
    break
  fi
  sleep 0.2
done
[ "$up" = yes ] || { echo "run-tern: nothing listens on 127.0.0.1:$PORT after 60 s; see $LOG" >&2; exit 1; }

echo "## Tern $(git rev-parse --short HEAD 2>/dev/null || echo) with tern bench (per connection: $PER_CONN, users: $USERS)"
echo
run_matrix tern "$PORT" "$DATA/mail"
