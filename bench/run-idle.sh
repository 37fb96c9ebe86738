#!/usr/bin/env bash
# Idle sessions of docs/performance.md: starts `./tern serve` on a fresh data directory (the embedded default:
# 127.0.0.1:2525, domain localhost) with the mailbox users, runs bench/idle-sessions.py against it (10,000
# idle sessions, then 1,000 busy ones beside them, then NOOP on every idle one), and stops the server.
#
#   bench/run-idle.sh
#   IDLE=2000 BUSY=200 bench/run-idle.sh
#   WARMUP=500 MESSAGES=5 SETTLE=40 bench/run-idle.sh  # first a burst of 500 sessions, then 40 s of quiet
#   TERN_CONFIG=some.toml bench/run-idle.sh          # a configuration file instead of the embedded default
#   TERN_SERVE_JAVA_OPTIONS='-Xmx2g' bench/run-idle.sh   # other JVM options for the server (see ./tern)
# Settings from the environment: IDLE (10000), BUSY (1000), MESSAGES per busy session (3), SIZE (1024),
# USERS (10), WARMUP busy sessions before anything is measured (0), SETTLE seconds of quiet before each
# reading of the idle memory (5), TERN_IDLE_DATA (/var/tmp/tern-bench/idle-data),
# RESULTS (/var/tmp/tern-bench/results).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

IDLE="${IDLE:-10000}"
BUSY="${BUSY:-1000}"
MESSAGES="${MESSAGES:-3}"
SIZE="${SIZE:-1024}"
USERS="${USERS:-10}"
WARMUP="${WARMUP:-0}"
SETTLE="${SETTLE:-5}"
DATA="${TERN_IDLE_DATA:-/var/tmp/tern-bench/idle-data}"
RESULTS="${RESULTS:-/var/tmp/tern-bench/results}"
PORT=2525
LOG="$RESULTS/tern-idle-serve.log"
mkdir -p "$RESULTS"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "run-idle: something already listens on 127.0.0.1:$PORT; stop it first" >&2
  exit 1
fi
# The server needs a descriptor per session as well; the JVM raises its soft limit to the hard one itself.
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt $((IDLE + BUSY + 500)) ]; then
  echo "run-idle: the open-file limit (ulimit -Hn: $(ulimit -Hn)) is below $((IDLE + BUSY + 500))" >&2
  exit 1
fi
ulimit -n "$(ulimit -Hn)"

rm -rf "$DATA"
mkdir -p "$DATA"
./tern --help >/dev/null 2>&1 || true # builds target/tern.jar if needed
for i in $(seq "$USERS"); do
  echo "bench-password-$i" | ./tern user add --data "$DATA" "user$i@localhost" >/dev/null
done

serve=(./tern serve --data "$DATA")
[ -n "${TERN_CONFIG:-}" ] && serve+=(--config "$TERN_CONFIG")
"${serve[@]}" > "$LOG" 2>&1 &
server=$!
stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop_server EXIT

for _ in $(seq 300); do
  kill -0 "$server" 2>/dev/null || { echo "run-idle: tern serve exited; see $LOG" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.2
done
# ./tern execs java, so the launcher's process id is the JVM's.
echo "## Tern $(git rev-parse --short HEAD 2>/dev/null || echo) idle sessions, load $(cut -d' ' -f1 /proc/loadavg)"
echo "jvm: $(tr '\0' ' ' < "/proc/$server/cmdline")"
python3 bench/idle-sessions.py --port "$PORT" --idle "$IDLE" --busy "$BUSY" --messages "$MESSAGES" \
    --size "$SIZE" --users "$USERS" --warmup "$WARMUP" --settle "$SETTLE" --pids "$server"
