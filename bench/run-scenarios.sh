#!/usr/bin/env bash
# Tern against Postfix in the scenarios of docs/performance.md ("Scenarios with smtp-source"), with Postfix's
# own load generator against both: Tern's embedded default (`./tern serve`, 127.0.0.1:2525) and the private
# Postfix of bench/postfix-setup.sh (127.0.0.1:2526), both delivering to Maildir. A run's rate counts from the
# first connection until the last message's file is in a new/ directory (accepted AND delivered). Rounds
# alternate the servers, the order flipping each round; the medians and each server's CPU per message (all its
# processes, bench/cpu-watch.py) are printed as Markdown. One default configuration serves every scenario.
#
#   bench/run-scenarios.sh                         as root, after apt-get install postfix
#   ROUNDS=5 SCENARIOS="single conn10" bench/run-scenarios.sh
#   TERN_BENCH_TOML=$'[queue]\njournal = false' bench/run-scenarios.sh   Tern with these lines of configuration
#   CLEAR=delete bench/run-scenarios.sh           delete the delivered files between runs (see clear_new)
#
# Scenarios (smtp-source options; 1 KiB unless named):
#   single    one sequential session, one message per connection        -s 1 -m 1000
#   s20x5k    20 sessions, 5 KiB                                          -s 20 -m 3000 -l 5120
#   s50x100k  50 sessions, 100 KiB                                        -s 50 -m 500 -l 102400
#   s20r10    20 sessions, 10 recipients per message                      -s 20 -m 400 -r 10
#   reuse10   10 sessions, every message over the same connection        -s 10 -m 3000 -d
#   conn10    10 sessions, one message per connection                     -s 10 -m 3000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS="${ROUNDS:-3}"
SCENARIOS="${SCENARIOS:-single s20x5k s50x100k s20r10 reuse10 conn10}"
RESULTS="${RESULTS:-/var/tmp/tern-bench/scenarios}"
TERN_DATA="${TERN_BENCH_DATA:-/var/tmp/tern-bench/scenario-tern}"
PF_CONF="${POSTFIX_BENCH_CONF:-/etc/postfix-bench}"
PF_MAIL="${POSTFIX_BENCH_MAIL:-/var/tmp/tern-bench/postfix-mail}"
TERN_PORT=2525
PF_PORT=2526
# Untimed rounds of every scenario before the timed ones. A JVM compiles its hot code over the first tens of
# thousands of messages (docs/performance.md, "Warming up"); an MTA runs for weeks, so the steady state is what
# counts. Postfix gets the same rounds, though it has nothing to compile.
WARMUP_ROUNDS="${WARMUP_ROUNDS:-2}"
mkdir -p "$RESULTS"

scenario() { # NAME -> smtp-source options
  case "$1" in
    single) echo "-s 1 -m 1000 -l 1024" ;;
    s20x5k) echo "-s 20 -m 3000 -l 5120" ;;
    s50x100k) echo "-s 50 -m 500 -l 102400" ;;
    s20r10) echo "-s 20 -m 400 -l 1024 -r 10" ;;
    reuse10) echo "-s 10 -m 3000 -l 1024 -d" ;;
    conn10) echo "-s 10 -m 3000 -l 1024" ;;
    *) echo "run-scenarios: unknown scenario $1" >&2; exit 1 ;;
  esac
}

# Empties new/ before a run. By default the files are moved to cur/, as a mail client does once it has seen
# them; CLEAR=delete deletes them instead. Deleting thousands of files just before a timed run makes every file
# created in it slower on ext4 without a journal (as here): inode allocation skips each inode freed in the last
# ~30 s (recently_deleted), and perf showed that walk as 40 % of Tern's CPU with ten recipients. Both servers
# pay it per file they create; the delivered mail is deleted once, at the end.
CLEAR="${CLEAR:-move}"
clear_new() { # MAILDIR
  if [ "$CLEAR" = delete ]; then
    find "$1" -path '*/new/*' -type f -delete 2>/dev/null || true
  else
    local dir
    for dir in "$1"/*/*/new "$1"/*/new; do
      [ -d "$dir" ] || continue
      find "$dir" -maxdepth 1 -type f -exec mv -t "$dir/../cur" {} + 2>/dev/null || true
    done
  fi
}

delivered() { # MAILDIR
  find "$1" -path '*/new/*' -type f 2>/dev/null | wc -l
}

# One timed run: prints "rate cpu_ms_per_message load"; the full output goes to RESULTS.
run() { # SERVER PORT MAILDIR WATCH SCENARIO ROUND
  local server=$1 port=$2 maildir=$3 watch=$4 name=$5 round=$6 opts n r want start end load watcher
  read -r -a opts <<< "$(scenario "$name")"
  n="$(sed -n 's/.*-m \([0-9]*\).*/\1/p' <<< "${opts[*]}")"
  r="$(sed -n 's/.*-r \([0-9]*\).*/\1/p' <<< "${opts[*]}")"; r="${r:-1}"
  want=$((n * r))
  local to=user1@localhost; [ "$r" -gt 1 ] && to=rcpt@localhost
  clear_new "$maildir"
  sync # the last run's writeback is not this run's cost
  sleep 1
  load="$(cut -d' ' -f1 /proc/loadavg)"
  local cpu="$RESULTS/$server-$name-$round.cpu"
  python3 bench/cpu-watch.py "$cpu" "$watch" & watcher=$!
  sleep 0.3
  start="$(date +%s.%N)"
  if ! smtp-source "${opts[@]}" -f bench@localhost -t "$to" "127.0.0.1:$port" > "$RESULTS/$server-$name-$round.txt" 2>&1; then
    kill "$watcher"; wait "$watcher" 2>/dev/null || true
    echo "fail(smtp-source: $(tail -1 "$RESULTS/$server-$name-$round.txt")) - $load"
    return
  fi
  for _ in $(seq 3000); do
    [ "$(delivered "$maildir")" -ge "$want" ] && break
    sleep 0.1
  done
  end="$(date +%s.%N)"
  kill "$watcher"; wait "$watcher" 2>/dev/null || true
  local got; got="$(delivered "$maildir")"
  if [ "$got" -lt "$want" ]; then
    echo "fail($got/$want) - $load"
    return
  fi
  awk -F'\t' -v n="$n" -v rate="$(echo "$n / ($end - $start)" | bc -l)" -v load="$load" \
      '$1 == "watcher" || $2 ~ /^thread / || $2 == "(ended threads)" { next }
       $2 == "(total)" { total = $3; next }
       { parts += $3 }
       END { printf "%.1f %.2f %s\n", rate, (total != "" ? total : parts) / n, load }' "$cpu"
}

# Tern: a fresh data directory, the users the scenarios send to.
rm -rf "$TERN_DATA"; mkdir -p "$TERN_DATA"
./tern --help >/dev/null 2>&1 || true
# smtp-source -r 10 -t rcpt@localhost sends to 10rcpt@localhost .. 2rcpt@localhost and rcpt@localhost
for u in $(seq 10 | sed 's/^/user/') rcpt $(seq 2 10 | sed 's/$/rcpt/'); do
  echo "bench-password" | ./tern user add --data "$TERN_DATA" "$u@localhost" >/dev/null
done
source bench/tern-config.sh
tern_bench_config "$TERN_DATA"
./tern serve --data "$TERN_DATA" "${config[@]}" > "$RESULTS/tern-serve.log" 2>&1 & tern_pid=$!
bench/postfix-setup.sh >/dev/null
trap 'kill "$tern_pid" 2>/dev/null || true; bench/postfix-setup.sh stop >/dev/null 2>&1 || true
      find "$TERN_DATA/mail" "$PF_MAIL" -path "*/cur/*" -type f -delete 2>/dev/null || true' EXIT
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$TERN_PORT") 2>/dev/null && break; sleep 0.2; done
pf_pid="$(tr -d ' ' < "$(postconf -c "$PF_CONF" -h queue_directory)/pid/master.pid")"

for round in $(seq "$WARMUP_ROUNDS"); do
  for name in $SCENARIOS; do
    echo "warm-up $round $name: tern $(run tern "$TERN_PORT" "$TERN_DATA/mail" "tern=$tern_pid" "$name" "w$round")" \
         "postfix $(run postfix "$PF_PORT" "$PF_MAIL" "postfix=$pf_pid+" "$name" "w$round")" >&2
  done
done
sleep 5

declare -A rows
for round in $(seq "$ROUNDS"); do
  for name in $SCENARIOS; do
    order="tern postfix"; [ $((round % 2)) -eq 0 ] && order="postfix tern"
    for s in $order; do
      if [ "$s" = tern ]; then
        line="$(run tern "$TERN_PORT" "$TERN_DATA/mail" "tern=$tern_pid" "$name" "$round")"
      else
        line="$(run postfix "$PF_PORT" "$PF_MAIL" "postfix=$pf_pid+" "$name" "$round")"
      fi
      rows["$s,$name"]+="$line;"
      echo "round $round $name $s: $line" >&2
    done
  done
done

median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { # ROWS INDEX
  tr ';' '\n' <<< "$1" | awk -v i="$2" 'NF { printf "%s ", $i }'
}

echo "| scenario | Postfix msg/s (runs) | Tern msg/s (runs) | Postfix median | **Tern median** | **Tern / Postfix** | CPU ms/msg Postfix | CPU ms/msg Tern | load |"
echo "|---|---|---|---:|---:|---:|---:|---:|---|"
for name in $SCENARIOS; do
  p="${rows[postfix,$name]}"; t="${rows[tern,$name]}"
  pm="$(field "$p" 1 | median)"; tm="$(field "$t" 1 | median)"
  printf '| %s | %s | %s | %s | **%s** | **%.2f** | %s | %s | %s |\n' "$name" "$(field "$p" 1)" "$(field "$t" 1)" \
      "$pm" "$tm" "$(echo "$tm / $pm" | bc -l)" "$(field "$p" 2 | median)" "$(field "$t" 2 | median)" \
      "$(field "$p$t" 3)"
done
