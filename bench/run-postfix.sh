#!/usr/bin/env bash
# The Postfix baseline (docs/performance.md): runs the matrix of bench/matrix.sh against the Postfix
# instance of bench/postfix-setup.sh (127.0.0.1:2526), then the same cells with Postfix's own smtp-source
# as a cross-check of the load generator. Run bench/postfix-setup.sh first; run this as root.
#
#   bench/run-postfix.sh                  the whole matrix
#   SMTP_SOURCE=no bench/run-postfix.sh   tern bench only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/matrix.sh

CONF="${POSTFIX_BENCH_CONF:-/etc/postfix-bench}"
MAIL_DIR="${POSTFIX_BENCH_MAIL:-/var/tmp/tern-bench/postfix-mail}"
PORT="${POSTFIX_BENCH_PORT:-2526}"

postfix -c "$CONF" status >/dev/null 2>&1 || { echo "run-postfix: start it with bench/postfix-setup.sh" >&2; exit 1; }

queue_empty() {
  postqueue -c "$CONF" -p 2>/dev/null | grep -q 'Mail queue is empty'
}

count_delivered() { # DIR
  find "$1" -path '*/new/*' -type f 2>/dev/null | wc -l
}

# One cell with smtp-source: -s sessions at once, -m messages in all, -l octets of payload (smtp-source adds
# its own few headers), one message per connection unless PER_CONN > 1 (then -d: one connection each).
smtp_source_cell() { # CONNECTIONS SIZE
  local c=$1 size=$2 n start sent last delivered load keep=()
  n="$(messages_for "$size")"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  [ "$PER_CONN" -gt 1 ] && keep=(-d)
  clear_maildirs "$MAIL_DIR"
  start="$(date +%s.%N)"
  smtp-source "${keep[@]}" -s "$c" -m "$n" -l "$size" -f bench@localhost -t user1@localhost "127.0.0.1:$PORT" \
      > "$RESULTS/postfix-smtp-source-c$c-s$size.txt" 2>&1 || true
  sent="$(date +%s.%N)"
  for _ in $(seq 1500); do
    [ "$(count_delivered "$MAIL_DIR")" -ge "$n" ] && break
    sleep 0.2
  done
  delivered="$(count_delivered "$MAIL_DIR")"
  last="$(find "$MAIL_DIR" -path '*/new/*' -type f -printf '%T@\n' | sort -n | tail -1)"
  awk -v c="$c" -v size="$(human_size "$size")" -v n="$n" -v d="$delivered" -v s="$start" -v e="$sent" -v l="${last:-0}" \
      -v load="$load" 'BEGIN { printf "| %s | %s | %d | %d | %.1f | %.1f | %s |\n",
                               c, size, n, n - d, n / (e - s), (l > s ? d / (l - s) : 0), load }'
}

echo "## Postfix $(postconf -c "$CONF" -h mail_version) with tern bench (per connection: $PER_CONN, users: $USERS)"
echo
run_matrix postfix "$PORT" "$MAIL_DIR"
queue_empty || echo "run-postfix: warning: mail left in the queue (postqueue -c $CONF -p)" >&2

if [ "${SMTP_SOURCE:-yes}" = yes ]; then
  echo
  echo "## Postfix with smtp-source (one recipient, user1@localhost)"
  echo
  echo "| connections | size | messages | not delivered | sent msg/s | accepted+delivered msg/s | load |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  for size in $SIZES; do
    for c in $CONNS; do
      smtp_source_cell "$c" "$size"
      sleep 2
    done
  done
fi
clear_maildirs "$MAIL_DIR"
