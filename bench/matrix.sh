# Sourced by bench/run-postfix.sh and bench/run-tern.sh: the benchmark matrix, the same for every server.
#
# Each cell sends mail with `tern bench` and waits until every message is in its Maildir, so a cell's
# "accepted+delivered" rate counts from the first connection to the last file landing in a new/ directory.
# Settings come from the environment:
#   CONNS       concurrent connections per cell               (default: "1 20 50")
#   SIZES       message sizes in octets                       (default: "1024 102400")
#   SMALL_N     messages per cell below 10 KiB               (default: 2000)
#   LARGE_N     messages per cell from 10 KiB                 (default: 500)
#   PER_CONN    messages per connection before QUIT           (default: 1, as smtp-source without -d)
#   USERS       recipients user1..userN@localhost, in turn    (default: 10)
#   TERN_BENCH  the command that runs the load generator      (default: "./tern bench")
#   RESULTS     directory for each cell's full output         (default: /var/tmp/tern-bench/results)
#   BENCH_JAVA_OPTIONS  JVM options of the load generator only (default: C1 only and the serial GC, which
#               spend less of the shared cores on the client's own JIT and GC threads)
# The "load" column is the 1-minute load average when the cell started: other work on the machine shows there.

CONNS="${CONNS:-1 20 50}"
SIZES="${SIZES:-1024 102400}"
SMALL_N="${SMALL_N:-2000}"
LARGE_N="${LARGE_N:-500}"
PER_CONN="${PER_CONN:-1}"
USERS="${USERS:-10}"
RESULTS="${RESULTS:-/var/tmp/tern-bench/results}"
read -r -a TERN_BENCH_CMD <<< "${TERN_BENCH:-./tern bench}"
BENCH_JAVA_OPTIONS="${BENCH_JAVA_OPTIONS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
mkdir -p "$RESULTS"

messages_for() { # SIZE
  if [ "$1" -lt 10240 ]; then echo "$SMALL_N"; else echo "$LARGE_N"; fi
}

human_size() { # SIZE
  if [ $(( $1 % 1024 )) -eq 0 ]; then echo "$(( $1 / 1024 )) KiB"; else echo "$1 B"; fi
}

# Removes delivered mail, so that each cell walks only its own files.
clear_maildirs() { # DIR
  if [ -d "$1" ]; then find "$1" -path '*/new/*' -type f -delete; fi
}

# A value from the "result key=value ..." line that tern bench prints last.
result_field() { # KEY LINE
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"
}

matrix_header() {
  echo "| connections | size | messages | failed | accepted msg/s | p50 ms | p99 ms | accepted+delivered msg/s | load |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
}

# Runs one cell with tern bench and prints its table row; the full output goes to RESULTS.
bench_cell() { # NAME PORT MAILDIR CONNECTIONS SIZE
  local name=$1 port=$2 maildir=$3 c=$4 size=$5 n log line load
  n="$(messages_for "$size")"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  log="$RESULTS/$name-c$c-s$size.txt"
  clear_maildirs "$maildir"
  local cmd=("${TERN_BENCH_CMD[@]}" --port "$port" --messages "$n" --connections "$c" --size "$size"
             --per-connection "$PER_CONN" --to 'user%d@localhost' --users "$USERS"
             --maildir "$maildir" --expect-delivered --delivery-timeout 300)
  echo "\$ JDK_JAVA_OPTIONS='$BENCH_JAVA_OPTIONS' ${cmd[*]}" > "$log"
  JDK_JAVA_OPTIONS="$BENCH_JAVA_OPTIONS" "${cmd[@]}" >> "$log" 2>&1 || true
  line="$(grep '^result ' "$log" || true)"
  if [ -z "$line" ]; then
    echo "| $c | $(human_size "$size") | $n | no result, see $log | | | | | $load |"
    return
  fi
  echo "| $c | $(human_size "$size") | $n | $(result_field failed "$line") | $(result_field msgs_per_s "$line")" \
       "| $(result_field p50_ms "$line") | $(result_field p99_ms "$line") | $(result_field delivered_msgs_per_s "$line") | $load |"
}

run_matrix() { # NAME PORT MAILDIR
  matrix_header
  local c size
  for size in $SIZES; do
    for c in $CONNS; do
      bench_cell "$1" "$2" "$3" "$c" "$size"
      sleep 2 # let the previous cell's processes settle
    done
  done
}
