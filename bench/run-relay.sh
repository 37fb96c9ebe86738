#!/usr/bin/env bash
# Relay throughput, Tern beside Postfix: a client in a trusted network sends to a remote domain; each server
# queues the mail and relays it to Postfix's smtp-sink on 127.0.0.1:2600 (which accepts and discards). A
# cell's rate counts from the first connection until the server's queue is empty again.
#
#   bench/run-relay.sh                      (as root: it uses the private Postfix instance of postfix-setup.sh)
#   CONNS="20" SIZES="1024" bench/run-relay.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/matrix.sh

SINK_PORT=2600
DATA="${TERN_BENCH_DATA:-/var/tmp/tern-bench/tern-relay}"
PF_CONF=/etc/postfix-bench
PF_QUEUE=/var/spool/postfix-bench

smtp-sink -u nobody 127.0.0.1:$SINK_PORT 256 & sink=$!
cleanup() { kill "$sink" 2>/dev/null || true; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true; }
trap cleanup EXIT

now() { date +%s.%N; }
# Waits until COMMAND prints 0, then prints the time.
until_zero() { while [ "$("$@")" != 0 ]; do sleep 0.05; done; now; }
# Messages Tern accepted and has not relayed yet, from its mail log (most messages wait in the spool's journal,
# not in files of their own: counting spool files would miss them).
# Only the log written since the cell began is read (TERN_LOG_FROM, a byte offset): the whole log of a warm-up
# takes long to read every 50 ms.
TERN_LOG_FROM=0
tern_queue() {
  tail -c +$((TERN_LOG_FROM + 1)) "$RESULTS/tern-relay.log" \
    | awk '/: accepted client=/ { a++ } /: smtp-sent / { s++ } END { print a - s }'
}
postfix_queue() { find "$PF_QUEUE"/incoming "$PF_QUEUE"/active "$PF_QUEUE"/deferred "$PF_QUEUE"/maildrop -type f 2>/dev/null | wc -l; }

# A JVM compiles its hot code over the first tens of thousands of messages (docs/performance.md, "Warming up"),
# each size's paths their own: the warm-up sends WARMUP messages of 1 KiB and WARMUP_LARGE of 100 KiB.
WARMUP="${WARMUP:-20000}"
WARMUP_LARGE="${WARMUP_LARGE:-3000}"
warm_up() { # PORT QUEUE-FUNCTION
  smtp-source -s 20 -m "$WARMUP" -l 1024 -f bench@localhost -t user@relay.test "127.0.0.1:$1" >/dev/null 2>&1 || true
  smtp-source -s 20 -m "$WARMUP_LARGE" -l 102400 -f bench@localhost -t user@relay.test "127.0.0.1:$1" >/dev/null 2>&1 || true
  until_zero "$2" >/dev/null
}

# The load is Postfix's smtp-source: a C program that starts at once (a JVM client's start-up, counted in
# the relayed rate, made short cells look slower than they were). "accepted" is until smtp-source is done.
cell() { # NAME PORT QUEUE-FUNCTION CONNECTIONS SIZE
  local n keep=() status=ok; n=$(messages_for "$5")
  [ "$PER_CONN" -gt 1 ] && keep=(-d)
  TERN_LOG_FROM=$(stat -c %s "$RESULTS/tern-relay.log" 2>/dev/null || echo 0)
  local start; start=$(now)
  smtp-source "${keep[@]}" -s "$4" -m "$n" -l "$5" -f bench@localhost -t user@relay.test "127.0.0.1:$2" \
      > "$RESULTS/relay-$1-c$4-s$5.txt" 2>&1 || status=error
  local sent; sent=$(now)
  local end; end=$(until_zero "$3")
  printf '| %s | %s | %s | %s | %s | %.1f | %.1f |\n' "$1" "$4" "$(human_size "$5")" "$n" "$status" \
      "$(echo "$n / ($sent - $start)" | bc -l)" "$(echo "$n / ($end - $start)" | bc -l)"
}

echo "| server | connections | size | messages | smtp-source | accepted msg/s | accepted+relayed msg/s |"
echo "|---|---:|---:|---:|---:|---:|---:|"

# Tern: the embedded default plus a trusted network and the sink as relay host.
rm -rf "$DATA"; mkdir -p "$DATA"
cat > "$DATA/tern.toml" <<TOML
[relay]
trusted_networks = ["127.0.0.1"]
[delivery]
tls = "none"
[delivery.relayhost]
host = "127.0.0.1"
port = $SINK_PORT
TOML
./tern serve --data "$DATA" --config "$DATA/tern.toml" > "$RESULTS/tern-relay.log" 2>&1 & server=$!
for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null && break; sleep 0.2; done
warm_up 2525 tern_queue
for size in $SIZES; do for conns in $CONNS; do cell tern 2525 tern_queue "$conns" "$size"; done; done
kill "$server"; wait "$server" 2>/dev/null || true; server=

# Postfix: the private instance, relaying everything to the sink.
bench/postfix-setup.sh >/dev/null
postconf -c "$PF_CONF" -e "relayhost = [127.0.0.1]:$SINK_PORT"
postfix -c "$PF_CONF" reload >/dev/null 2>&1
warm_up 2526 postfix_queue
for size in $SIZES; do for conns in $CONNS; do cell postfix 2526 postfix_queue "$conns" "$size"; done; done
postconf -c "$PF_CONF" -e "relayhost ="
bench/postfix-setup.sh stop >/dev/null
