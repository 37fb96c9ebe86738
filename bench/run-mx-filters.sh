#!/usr/bin/env bash
# A public MX with its filters, Tern beside Postfix + postscreen (docs/performance.md, "MX with DNSBL and a
# milter"). Both receive for the domain localhost into Maildirs, as run-tern.sh and run-postfix.sh do, and both
#   - ask a DNS block list at every connection: the zone bl.bench.test, served by dnsmasq on 127.0.0.1:53, lists
#     only the RFC 5782 test address 127.0.0.2, so the client (127.0.0.1) is looked up and passes;
#   - hand every message to the same milter: Debian's opendkim in verify mode on 127.0.0.1:8891 (it reads the
#     header and body and adds an Authentication-Results field; unsigned mail is never refused).
# No greet pause on either side (it would measure the pause). Postfix: postscreen in master.cf with
# postscreen_dnsbl_sites, smtpd_milters. Tern: [screen] dnsbl_sites, [[milter]].
#
# Postfix asks DNS through the system resolver, so for the run /etc/resolv.conf names 127.0.0.1, where dnsmasq
# answers bl.bench.test itself and forwards every other name to the servers that were in resolv.conf before;
# the old file is written back by an EXIT trap (also on ^C or an error). Run as root, after
#   apt-get install postfix dnsmasq-base opendkim
#
#   bench/run-mx-filters.sh                        three runs of each server
#   RUNS=1 SMALL_N=1000 bench/run-mx-filters.sh
#   SERVERS=tern TERN_JFR=/var/tmp/mx.jfr bench/run-mx-filters.sh    Tern alone, recorded by JFR
#
# Each timed run is watched by bench/cpu-watch.py, which reads from /proc the CPU time (user + system) of every
# process on the path: the server (Tern's JVM, its threads by name; Postfix's master and each of its daemons),
# opendkim, dnsmasq; the load generator's JVM is timed by /usr/bin/time. The second table gives each one's CPU
# milliseconds per accepted message, and the ceiling they set on 2 cores: 2000 ms / (their sum) messages/s.
# Unlike the rates, these hardly depend on what else the machine runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/matrix.sh

RUNS="${RUNS:-3}"
SERVERS="${SERVERS:-tern postfix}"
TERN_JFR="${TERN_JFR:-}"          # a file: Tern's timed runs are recorded there by JFR (jcmd), for a profile
CONNS_MX="${CONNS_MX:-20}"
SIZE=1024
WARMUP="${WARMUP:-500}"
ZONE=bl.bench.test
MILTER_PORT=8891
WORK="${TERN_BENCH_WORK:-/var/tmp/tern-bench/mx}"
DATA="$WORK/tern-data"
PF_CONF="${POSTFIX_BENCH_CONF:-/etc/postfix-bench}"
PF_MAIL="${POSTFIX_BENCH_MAIL:-/var/tmp/tern-bench/postfix-mail}"
PF_PORT="${POSTFIX_BENCH_PORT:-2526}"
TERN_PORT=2525

[ "$(id -u)" -eq 0 ] || { echo "run-mx-filters: run as root" >&2; exit 1; }
for c in postfix dnsmasq opendkim python3 /usr/bin/time; do
  command -v "$c" >/dev/null || { echo "run-mx-filters: $c is missing (apt-get install postfix dnsmasq-base opendkim)" >&2; exit 1; }
done
for p in 53 "$MILTER_PORT" "$TERN_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "run-mx-filters: 127.0.0.1:$p is in use" >&2; exit 1; fi
done

upstream="$(sed -n 's/^nameserver[[:space:]]\+\([^[:space:]]\+\).*/\1/p' /etc/resolv.conf | grep -v '^127\.' || true)"
if [ -z "$upstream" ] && grep -q '^nameserver[[:space:]]\+127\.0\.0\.1' /etc/resolv.conf; then
  # The file this script writes for a run, left by one that was killed (SIGKILL runs no trap): keeping it as
  # "the old file" would leave the machine without DNS once dnsmasq stops.
  echo "run-mx-filters: /etc/resolv.conf names only 127.0.0.1 (left by an interrupted run?); restore it first" >&2
  exit 1
fi
rm -rf "$WORK"; mkdir -p "$WORK" "$DATA"
cp /etc/resolv.conf "$WORK/resolv.conf.orig"

pids=()
cleanup() {
  # Written in place: in a container /etc/resolv.conf may be a bind mount that cannot be replaced.
  [ -f "$WORK/resolv.conf.orig" ] && cat "$WORK/resolv.conf.orig" > /etc/resolv.conf
  [ -n "${watcher:-}" ] && kill "$watcher" 2>/dev/null
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  postfix -c "$PF_CONF" stop >/dev/null 2>&1 || true
  local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The DNS list: bl.bench.test is local (names in it that are not listed get NXDOMAIN at once), the test entry
# 2.0.0.127.bl.bench.test is listed; everything else goes to the machine's own servers. Every query is logged,
# so the run can count the lookups each server made.
dns_args=(--keep-in-foreground --no-hosts --no-resolv --listen-address=127.0.0.1 --bind-interfaces --port=53
          --local="/$ZONE/" --host-record="2.0.0.127.$ZONE,127.0.0.2" --log-queries --log-facility="$WORK/dns.log")
for s in $upstream; do dns_args+=(--server="$s"); done
dnsmasq "${dns_args[@]}" & pids+=($!); dns_pid=$!
sleep 0.5
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' > /etc/resolv.conf
dns_queries() { grep -c "query\[A\] [0-9.]*\.$ZONE from" "$WORK/dns.log" 2>/dev/null || true; }
getent hosts "2.0.0.127.$ZONE" >/dev/null \
  || { echo "run-mx-filters: dnsmasq does not answer for $ZONE; see $WORK/dns.log" >&2; exit 1; }

# The milter: opendkim verifying (Mode v), in the foreground, its own configuration, no keys.
cat > "$WORK/opendkim.conf" <<EOF
Mode                v
Socket              inet:$MILTER_PORT@127.0.0.1
Syslog              no
AlwaysAddARHeader   yes
AuthservID          bench.localdomain
UserID              opendkim
PidFile             $WORK/opendkim.pid
EOF
chmod 755 "$WORK"
opendkim -f -x "$WORK/opendkim.conf" & pids+=($!); milter_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$MILTER_PORT") 2>/dev/null && break; sleep 0.1; done

now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }

# One measured run: prints "rate failed delivered-rate load dns-lookups-per-message"; the CPU each process used
# goes to RESULTS/mx-NAME-RUN.cpu ("role<TAB>name<TAB>ms"), with a line "accepted<TAB>messages<TAB>N".
measure() { # NAME PORT MAILDIR WATCHED...
  local log="$RESULTS/mx-$1-$run.txt" cpu="$RESULTS/mx-$1-$run.cpu" q0 line l
  clear_maildirs "$3"
  l="$(load)"; q0="$(dns_queries)"
  local cmd=("${TERN_BENCH_CMD[@]}" --port "$2" --messages "$SMALL_N" --connections "$CONNS_MX" --size "$SIZE"
             --per-connection 1 --to 'user%d@localhost' --users "$USERS"
             --maildir "$3" --expect-delivered --delivery-timeout 300)
  echo "\$ JDK_JAVA_OPTIONS='$BENCH_JAVA_OPTIONS' ${cmd[*]}" > "$log"
  python3 bench/cpu-watch.py "$cpu.watch" "${@:4}" & watcher=$!
  JDK_JAVA_OPTIONS="$BENCH_JAVA_OPTIONS" /usr/bin/time -f 'loadgen %U %S' -o "$cpu.time" "${cmd[@]}" >> "$log" 2>&1 || true
  kill "$watcher"; wait "$watcher" || true; watcher=
  line="$(grep '^result ' "$log" || echo 'result none')"
  { cat "$cpu.watch"
    awk '$1 == "loadgen" { printf "loadgen\ttern bench (JVM)\t%.0f\n", ($2 + $3) * 1000 }' "$cpu.time"
    printf 'accepted\tmessages\t%s\n' "$(result_field sent "$line")"; } > "$cpu"
  echo "$(result_field msgs_per_s "$line") $(result_field failed "$line") $(result_field delivered_msgs_per_s "$line") $l" \
       "$(echo "scale=2; ($(dns_queries) - $q0) / $SMALL_N" | bc)"
}

warm_up() { # PORT MAILDIR
  JDK_JAVA_OPTIONS="$BENCH_JAVA_OPTIONS" "${TERN_BENCH_CMD[@]}" --port "$1" --messages "$WARMUP" --connections "$CONNS_MX" \
      --size "$SIZE" --to 'user%d@localhost' --users "$USERS" --maildir "$2" --expect-delivered --delivery-timeout 300 \
      > "$RESULTS/mx-warmup-$1.txt" 2>&1 || true
}

# Checks that the milter saw the mail: opendkim's field in a delivered message.
milter_seen() { # MAILDIR
  local f; f="$(find "$1" -path '*/new/*' -type f | head -1)"
  [ -n "$f" ] && grep -q '^Authentication-Results: bench.localdomain' "$f"
}

# Tern: the embedded default (MX on 127.0.0.1:2525, domain localhost) plus the list, the milter and the DNS server.
./tern --help >/dev/null 2>&1 || true
for i in $(seq "$USERS"); do echo "bench-password-$i" | ./tern user add --data "$DATA" "user$i@localhost" >/dev/null; done
cat > "$DATA/tern.toml" <<TOML
[dns]
servers = ["127.0.0.1"]
cache_max_bytes = "0"             # no answer kept: every connection asks the list
[screen]
pregreet_delay = "0s"
dnsbl_sites = ["$ZONE"]
dnsbl_threshold = 1
[[milter]]
name = "opendkim"
address = "inet:127.0.0.1:$MILTER_PORT"
default_action = "tempfail"
TOML
./tern config check "$DATA/tern.toml" >&2 || { echo "run-mx-filters: Tern refuses its configuration" >&2; exit 1; }
run_tern() {
./tern serve --data "$DATA" --config "$DATA/tern.toml" > "$RESULTS/mx-tern-serve.log" 2>&1 & server=$!
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$TERN_PORT") 2>/dev/null && break; sleep 0.2; done
# Another server that took one of Tern's ports in the meantime would otherwise be measured in its place.
kill -0 "$server" 2>/dev/null || { echo "run-mx-filters: tern serve exited; see $RESULTS/mx-tern-serve.log" >&2; exit 1; }
warm_up "$TERN_PORT" "$DATA/mail"
milter_seen "$DATA/mail" || echo "run-mx-filters: warning: no opendkim field in Tern's mail" >&2
# The recording covers the timed runs only (not the start or the warm-up); jcmd runs outside them.
jcmd=("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd" "$server")
# The CPU-time sampler (JDK 25, Linux) sees native and system time as well, which the execution sampler misses.
[ -n "$TERN_JFR" ] && "${jcmd[@]}" JFR.start name=mx settings=profile "jdk.CPUTimeSample#enabled=true" \
    "jdk.CPUTimeSample#throttle=2ms" >/dev/null
for run in $(seq "$RUNS"); do
  tern_rows+=("$(measure tern "$TERN_PORT" "$DATA/mail" "tern=$server/threads" "opendkim=$milter_pid" "dnsmasq=$dns_pid")")
  sleep 2
done
[ -n "$TERN_JFR" ] && "${jcmd[@]}" JFR.stop name=mx filename="$TERN_JFR" >/dev/null
kill "$server"; wait "$server" 2>/dev/null || true; server=
}

# Postfix: the private instance of postfix-setup.sh, with postscreen in front of smtpd and the milter.
run_postfix() {
bench/postfix-setup.sh >/dev/null
postconf -c "$PF_CONF" -M# "127.0.0.1:$PF_PORT/inet"
postconf -c "$PF_CONF" -M "127.0.0.1:$PF_PORT/inet = 127.0.0.1:$PF_PORT inet n - n - 1 postscreen" \
    "smtpd/pass = smtpd pass - - n - - smtpd" "dnsblog/unix = dnsblog unix - - n - 0 dnsblog" \
    "tlsproxy/unix = tlsproxy unix - - n - 0 tlsproxy"
# postscreen_access_list is emptied: its default, permit_mynetworks, would let 127.0.0.1 skip every test.
# postscreen keeps a client that passed the list for postscreen_dnsbl_min_ttl (60s by default), and with one
# client address that would be one lookup per minute: at its least (1s), and without the cache file.
postconf -c "$PF_CONF" -e "postscreen_access_list =" "postscreen_dnsbl_sites = $ZONE" "postscreen_dnsbl_threshold = 1" \
    "postscreen_dnsbl_action = enforce" "postscreen_greet_action = ignore" "postscreen_greet_banner =" \
    "postscreen_dnsbl_min_ttl = 1s" "postscreen_dnsbl_max_ttl = 1s" "postscreen_cache_map =" \
    "smtpd_milters = inet:127.0.0.1:$MILTER_PORT" "milter_default_action = tempfail" "milter_protocol = 6"
postfix -c "$PF_CONF" stop >/dev/null 2>&1 || true; sleep 1
postfix -c "$PF_CONF" start >/dev/null
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PF_PORT") 2>/dev/null && break; sleep 0.2; done
warm_up "$PF_PORT" "$PF_MAIL"
milter_seen "$PF_MAIL" || echo "run-mx-filters: warning: no opendkim field in Postfix's mail" >&2
master="$(tr -d ' ' < "$(postconf -c "$PF_CONF" -h queue_directory)/pid/master.pid")"
for run in $(seq "$RUNS"); do
  pf_rows+=("$(measure postfix "$PF_PORT" "$PF_MAIL" "postfix=$master+" "opendkim=$milter_pid" "dnsmasq=$dns_pid")")
  sleep 2
done
bench/postfix-setup.sh stop >/dev/null 2>&1 || true
}

tern_rows=(); pf_rows=()
for s in $SERVERS; do
  case "$s" in
    tern) run_tern ;;
    postfix) run_postfix ;;
    *) echo "run-mx-filters: unknown server $s in SERVERS (tern, postfix)" >&2; exit 1 ;;
  esac
done

# The table: each run's accepted msg/s, failures, load and DNS lookups per message, then the median and spread.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
row() { # NAME ROWS...
  local name=$1; shift
  local rates=() cells="" r
  for r in "$@"; do
    read -r rate failed delivered l q <<< "$r"
    rates+=("$rate"); cells="$cells $rate (failed $failed, delivered $delivered/s, load $l, lookups/msg $q) |"
  done
  local lo hi; lo="$(printf '%s\n' "${rates[@]}" | sort -n | head -1)"; hi="$(printf '%s\n' "${rates[@]}" | sort -n | tail -1)"
  echo "| $name |$cells **$(median "${rates[@]}")** | $lo–$hi |"
}
echo "## MX with DNSBL ($ZONE via dnsmasq) and milter (opendkim, verify): $CONNS_MX connections, 1 KiB, $SMALL_N messages"
echo
printf '| server |'; for run in $(seq "$RUNS"); do printf ' run %d: accepted msg/s |' "$run"; done; echo ' median | spread |'
printf '|---|'; for run in $(seq "$RUNS"); do printf -- '---|'; done; echo '---:|---|'
[ ${#tern_rows[@]} -gt 0 ] && row "Tern $(git rev-parse --short HEAD 2>/dev/null || true)" "${tern_rows[@]}"
[ ${#pf_rows[@]} -gt 0 ] && row "Postfix $(postconf -d -h mail_version) + postscreen" "${pf_rows[@]}"
# The CPU each process used per accepted message (bench/cpu-watch.py), and the ceiling it sets on 2 cores.
for s in $SERVERS; do
  echo; echo "### CPU per message: $s ($(nproc) cores)"; echo
  python3 bench/cpu-watch.py --table $(for run in $(seq "$RUNS"); do echo "$RESULTS/mx-$s-$run.cpu"; done)
done
