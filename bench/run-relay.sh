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
tern_queue() {
  local log="$RESULTS/tern-relay.log" accepted sent
  accepted=$(grep -c ': accepted client=' "$log" || true)
  sent=$(grep -c ': smtp-sent ' "$log" || true)
  echo $((accepted - sent))
}
postfix_queue() { find "$PF_QUEUE"/incoming "$PF_QUEUE"/active "$PF_QUEUE"/deferred "$PF_QUEUE"/maildrop -type f 2>/dev/null | wc -l; }

# A JVM compiles its hot code over the first tens of thousands of messages (docs/performance.md, "Warming up").
WARMUP="${WARMUP:-20000}"
warm_up() { # PORT QUEUE-FUNCTION
  JDK_JAVA_OPTIONS="$BENCH_JAVA_OPTIONS" "${TERN_BENCH_CMD[@]}" --port "$1" --messages "$WARMUP" --connections 20 \
      --size 1024 --to 'user%d@relay.test' --users "$USERS" >/dev/null 2>&1
  until_zero "$2" >/dev/null
}

cell() { # NAME PORT QUEUE-FUNCTION CONNECTIONS SIZE
  local n; n=$(messages_for "$5")
  local start; start=$(now)
  local out; out=$(JDK_JAVA_OPTIONS="$BENCH_JAVA_OPTIONS" "${TERN_BENCH_CMD[@]}" --port "$2" --messages "$n" \
      --connections "$4" --size "$5" --per-connection "$PER_CONN" --to 'user%d@relay.test' --users "$USERS" 2>&1)
  local end; end=$(until_zero "$3")
  local line; line=$(tail -1 <<< "$out")
  printf '| %s | %s | %s | %s | %s | %s | %.1f |\n' "$1" "$4" "$(human_size "$5")" "$n" \
      "$(result_field failed "$line")" "$(result_field msgs_per_s "$line")" \
      "$(echo "$n / ($end - $start)" | bc -l)"
}

echo "| server | connections | size | messages | failed | accepted msg/s | accepted+relayed msg/s |"
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
