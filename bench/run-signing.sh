#!/usr/bin/env bash
# DKIM signing side by side: Tern beside Postfix + OpenDKIM (docs/performance.md, "DKIM signing side by side").
# The same mail, from bench@bench.test to user1..userN@localhost, is signed by each server with the same two
# keys of bench.test, an RSA-2048 and an Ed25519 one (made by `tern dkim keygen`), and delivered to Maildirs:
#   - Tern: the embedded default (domain localhost) on a fresh data directory, its MX listener moved from
#     127.0.0.1:2525 to 127.0.0.1:2545, the client in [relay] trusted_networks, so its mail is signed as our
#     users' mail is (submission without the TLS and AUTH that authenticated submission would measure too);
#     the keys under DATA/dkim/bench.test/.
#   - Postfix: an instance of bench/postfix-setup.sh with directories of its own (/etc/postfix-bench-sign, ...)
#     on 127.0.0.1:2546, the client in mynetworks, with Debian's opendkim as smtpd milters in sign mode
#     (InternalHosts: 127.0.0.1). opendkim 2.11.0~beta2 signs with one algorithm per instance
#     (SignatureAlgorithm; a KeyTable field naming the algorithm came after that release), so there are two,
#     one signing rsa-sha256 and one ed25519-sha256, each with its KeyTable and SigningTable holding its key for
#     *@bench.test. Their keys live outside /var/tmp: opendkim refuses (RequireSafeKeys) a key under a directory
#     that others may write. They listen on UNIX sockets, as Debian's opendkim does by default: over loopback
#     TCP each milter added about 85 ms of waiting to every message, two stalls of 40 ms (Linux's delayed ACK;
#     a small packet written right after another waits for it under Nagle's algorithm), which made Postfix
#     latency-bound (7 messages/s on one connection instead of 142).
# No DNS is involved: neither signer looks anything up, and the check reads the public keys from a file.
# The ports and the Postfix instance are not those of the other scripts, so that a run of one of those on the
# same machine neither sends its mail to these servers nor reconfigures them.
#
# The load generator is `tern bench`, as in the other scripts (it waits for the Maildir files, so it also gives
# the accepted-and-delivered rate). Both servers run for the whole benchmark; each takes an untimed warm-up,
# then the rounds alternate them (Tern first in odd rounds, Postfix first in even ones), each size in turn.
# After every run bench/dkim-check.py reads all the delivered mail: each message must carry an rsa-sha256 and
# an ed25519-sha256 signature, and the first three are verified; a run that fails the check stops the script
# (exit 1) before any rate is printed. Each timed run is watched by bench/cpu-watch.py, as in run-mx-filters.sh.
#
#   bench/run-signing.sh                                  as root; three rounds, 1 KiB and 10 KiB, 2000 messages
#   RUNS=1 MESSAGES=300 WARMUP=100 bench/run-signing.sh   a quick try
# Needs: apt-get install postfix opendkim python3-dkim python3-nacl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES="${SIZES:-1024 10240}"
source bench/matrix.sh

RUNS="${RUNS:-3}"
MESSAGES="${MESSAGES:-2000}"      # per timed run, at every size
CONNS_SIGN="${CONNS_SIGN:-20}"
WARMUP="${WARMUP:-5000}"          # untimed messages per server and size before the first round (docs/performance.md, "Warming up")
DOMAIN=bench.test
FROM="bench@$DOMAIN"
WORK="${TERN_BENCH_WORK:-/var/tmp/tern-bench/signing}"
DATA="$WORK/tern-data"
KEYS="${OPENDKIM_BENCH_KEYS:-/var/lib/tern-bench/opendkim-keys}"
RECORDS="$WORK/dkim-records"
TERN_PORT="${TERN_SIGN_PORT:-2545}"
# The settings of bench/postfix-setup.sh, for an instance of this script's own.
export POSTFIX_BENCH_CONF="${POSTFIX_SIGN_CONF:-/etc/postfix-bench-sign}"
export POSTFIX_BENCH_QUEUE="${POSTFIX_SIGN_QUEUE:-/var/spool/postfix-bench-sign}"
export POSTFIX_BENCH_DATA="${POSTFIX_SIGN_DATA:-/var/lib/postfix-bench-sign}"
export POSTFIX_BENCH_LOG="${POSTFIX_SIGN_LOG:-/var/log/postfix-bench-sign.log}"
export POSTFIX_BENCH_MAIL="$WORK/postfix-mail"
export POSTFIX_BENCH_PORT="${POSTFIX_SIGN_PORT:-2546}"
PF_CONF=$POSTFIX_BENCH_CONF
PF_MAIL=$POSTFIX_BENCH_MAIL
PF_PORT=$POSTFIX_BENCH_PORT
MILTERS="$WORK/milter"            # the signers' sockets
PY=/usr/bin/python3               # Debian's, which has python3-dkim

fail() { echo "run-signing: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root"
for c in postfix opendkim openssl /usr/bin/time bc; do
  command -v "$c" >/dev/null || fail "$c is missing (apt-get install postfix opendkim openssl bc time)"
done
"$PY" -c 'import dkim, nacl' 2>/dev/null || fail "python3-dkim or python3-nacl is missing (apt-get install python3-dkim python3-nacl)"
for p in "$TERN_PORT" "$PF_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then fail "127.0.0.1:$p is in use"; fi
done

rm -rf "$WORK"; mkdir -p "$WORK" "$DATA"
chmod 755 "$WORK"

pids=()
cleanup() {
  set +e
  [ -n "${watcher:-}" ] && kill "$watcher" 2>/dev/null
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  postfix -c "$PF_CONF" stop >/dev/null 2>&1 || true
  local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # opendkim takes some seconds to stop; a next run would find its ports taken.
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

wait_port() { # PORT WHAT
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  fail "nothing listens on 127.0.0.1:$1 ($2)"
}

# The keys: made by Tern, copied for opendkim, and their DNS records derived from them by openssl (not by Tern),
# so the check does not take Tern's word for its own keys.
./tern dkim keygen --data "$DATA" "$DOMAIN" --selector rsa2048 --algorithm rsa --bits 2048 >/dev/null
./tern dkim keygen --data "$DATA" "$DOMAIN" --selector ed25519 --algorithm ed25519 >/dev/null
rsa_key="$DATA/dkim/$DOMAIN/rsa2048.rsa.key"
ed_key="$DATA/dkim/$DOMAIN/ed25519.ed25519.key"
[ -f "$rsa_key" ] && [ -f "$ed_key" ] || fail "tern dkim keygen wrote no key where expected: $(find "$DATA/dkim" -type f)"
# An RSA record's p= is the SubjectPublicKeyInfo (RFC 6376 §3.6.1); an Ed25519 one's the 32 raw octets (RFC 8463
# §4), the end of the SubjectPublicKeyInfo.
{ printf 'rsa2048._domainkey.%s\tv=DKIM1; k=rsa; p=%s\n' "$DOMAIN" \
      "$(openssl pkey -in "$rsa_key" -pubout -outform DER | base64 -w0)"
  printf 'ed25519._domainkey.%s\tv=DKIM1; k=ed25519; p=%s\n' "$DOMAIN" \
      "$(openssl pkey -in "$ed_key" -pubout -outform DER | tail -c 32 | base64 -w0)"; } > "$RECORDS"
rm -rf "$KEYS"; install -d -m 700 -o opendkim -g opendkim "$KEYS"
install -m 600 -o opendkim -g opendkim "$rsa_key" "$ed_key" "$KEYS/"

# The two signers, each in the foreground with its own configuration; relaxed/relaxed as Tern signs.
install -d -m 755 -o opendkim -g opendkim "$MILTERS"
start_opendkim() { # NAME ALGORITHM SELECTOR KEYFILE
  echo "$3._domainkey.$DOMAIN $DOMAIN:$3:$KEYS/$4" > "$WORK/keytable-$1"
  echo "*@$DOMAIN $3._domainkey.$DOMAIN" > "$WORK/signingtable-$1"
  cat > "$WORK/opendkim-$1.conf" <<EOF
Mode                s
Socket              local:$MILTERS/$1.sock
UMask               000
Syslog              no
UserID              opendkim
PidFile             $WORK/opendkim-$1.pid
KeyTable            file:$WORK/keytable-$1
SigningTable        refile:$WORK/signingtable-$1
SignatureAlgorithm  $2
Canonicalization    relaxed/relaxed
InternalHosts       127.0.0.1
EOF
  opendkim -f -x "$WORK/opendkim-$1.conf" & pids+=($!)
  for _ in $(seq 100); do [ -S "$MILTERS/$1.sock" ] && return 0; sleep 0.1; done
  fail "opendkim $1 made no socket $MILTERS/$1.sock"
}
start_opendkim rsa rsa-sha256 rsa2048 rsa2048.rsa.key; odk_rsa=${pids[-1]}
start_opendkim ed25519 ed25519-sha256 ed25519 ed25519.ed25519.key; odk_ed=${pids[-1]}

# Tern: the embedded default, its one listener on another port, plus the trusted client; [dkim] sign = true is
# the default, written out.
for i in $(seq "$USERS"); do echo "bench-password-$i" | ./tern user add --data "$DATA" "user$i@localhost" >/dev/null; done
cat > "$DATA/tern.toml" <<TOML
[[listener]]
name = "mx"
role = "mx"
address = "127.0.0.1"
port = $TERN_PORT
[relay]
trusted_networks = ["127.0.0.1"]
[dkim]
sign = true
TOML
./tern config check "$DATA/tern.toml" >&2 || fail "Tern refuses its configuration"
./tern serve --data "$DATA" --config "$DATA/tern.toml" > "$RESULTS/sign-tern-serve.log" 2>&1 & server=$!
wait_port "$TERN_PORT" "tern serve"
# Another server that took Tern's port in the meantime would otherwise be measured in its place.
kill -0 "$server" 2>/dev/null || fail "tern serve exited; see $RESULTS/sign-tern-serve.log"

# Postfix: the private instance, both signers as smtpd milters (a signer that does not answer: 4xx, not unsigned).
POSTFIX_BENCH_MILTER="unix:$MILTERS/rsa.sock, unix:$MILTERS/ed25519.sock" bench/postfix-setup.sh >/dev/null
wait_port "$PF_PORT" "postfix"
master="$(tr -d ' ' < "$(postconf -c "$PF_CONF" -h queue_directory)/pid/master.pid")"

load() { cut -d' ' -f1 /proc/loadavg; }
bench_cmd() { # PORT MAILDIR SIZE MESSAGES: sets cmd
  cmd=("${TERN_BENCH_CMD[@]}" --port "$1" --messages "$4" --connections "$CONNS_SIGN" --size "$3"
       --per-connection "$PER_CONN" --from "$FROM" --to 'user%d@localhost' --users "$USERS"
       --maildir "$2" --expect-delivered --delivery-timeout 300)
}
send() { # PORT MAILDIR SIZE MESSAGES
  bench_cmd "$@"
  echo "\$ JDK_JAVA_OPTIONS='$BENCH_JAVA_OPTIONS' ${cmd[*]}"
  JDK_JAVA_OPTIONS="$BENCH_JAVA_OPTIONS" "${cmd[@]}" 2>&1 || true
}
signed_or_fail() { # NAME MAILDIR LOG
  "$PY" bench/dkim-check.py "$RECORDS" "$2" >> "$3" 2>&1 \
    || fail "$1's mail is not signed as it should be: $(tail -1 "$3") (full output in $3)"
}

# One timed run: appends "rate failed delivered-rate load" to ROWS_NAME_SIZE; the CPU each process used goes to
# RESULTS/sign-NAME-SIZE-RUN.cpu ("role<TAB>name<TAB>ms", and "accepted<TAB>messages<TAB>N").
measure() { # NAME SIZE
  local name=$1 size=$2 port maildir watched log cpu line l
  case "$name" in
    tern) kill -0 "$server" 2>/dev/null || fail "tern serve ($server) is gone; see $RESULTS/sign-tern-serve.log"
          port=$TERN_PORT; maildir="$DATA/mail"; watched=("tern=$server/threads") ;;
    postfix) port=$PF_PORT; maildir=$PF_MAIL
             watched=("postfix=$master+" "opendkim-rsa=$odk_rsa" "opendkim-ed25519=$odk_ed") ;;
  esac
  log="$RESULTS/sign-$name-$size-$round.txt"; cpu="$RESULTS/sign-$name-$size-$round.cpu"
  clear_maildirs "$maildir"
  l="$(load)"
  bench_cmd "$port" "$maildir" "$size" "$MESSAGES"
  echo "\$ JDK_JAVA_OPTIONS='$BENCH_JAVA_OPTIONS' ${cmd[*]}" > "$log"
  "$PY" bench/cpu-watch.py "$cpu.watch" "${watched[@]}" & watcher=$!
  JDK_JAVA_OPTIONS="$BENCH_JAVA_OPTIONS" /usr/bin/time -f 'loadgen %U %S' -o "$cpu.time" "${cmd[@]}" >> "$log" 2>&1 || true
  kill "$watcher"; wait "$watcher" || true; watcher=
  line="$(grep '^result ' "$log" || true)"
  [ -n "$line" ] || fail "no result from tern bench against $name; see $log"
  signed_or_fail "$name" "$maildir" "$log"
  { cat "$cpu.watch"
    awk '$1 == "loadgen" { printf "loadgen\ttern bench (JVM)\t%.0f\n", ($2 + $3) * 1000 }' "$cpu.time"
    printf 'accepted\tmessages\t%s\n' "$(result_field sent "$line")"; } > "$cpu"
  local -n rows="rows_${name}_$size"
  rows+=("$(result_field msgs_per_s "$line") $(result_field failed "$line") $(result_field delivered_msgs_per_s "$line") $l")
  echo "run-signing: round $round, $name, $(human_size "$size"): $(result_field msgs_per_s "$line") msg/s, load $l" >&2
  sleep 2 # let the run's processes settle
}

echo "run-signing: load average at the start: $(cat /proc/loadavg)" >&2
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
# The warm-up: a long-running JVM has compiled its hot code (Postfix and opendkim have nothing to warm); it is
# checked like a timed run, so a server that does not sign stops the script before the first round.
round=warmup
for size in $SIZES; do
  clear_maildirs "$DATA/mail"; clear_maildirs "$PF_MAIL"
  send "$TERN_PORT" "$DATA/mail" "$size" "$WARMUP" > "$RESULTS/sign-warmup-tern-$size.txt"
  signed_or_fail tern "$DATA/mail" "$RESULTS/sign-warmup-tern-$size.txt"
  send "$PF_PORT" "$PF_MAIL" "$size" "$WARMUP" > "$RESULTS/sign-warmup-postfix-$size.txt"
  signed_or_fail postfix "$PF_MAIL" "$RESULTS/sign-warmup-postfix-$size.txt"
done
echo "run-signing: warm-up done; $(tail -1 "$RESULTS/sign-warmup-postfix-$size.txt")" >&2

for size in $SIZES; do declare -a "rows_tern_$size=()" "rows_postfix_$size=()"; done
for round in $(seq "$RUNS"); do
  if [ $((round % 2)) -eq 1 ]; then order="tern postfix"; else order="postfix tern"; fi
  for size in $SIZES; do for s in $order; do measure "$s" "$size"; done; done
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
kill "$server"; wait "$server" 2>/dev/null || true; server=
bench/postfix-setup.sh stop >/dev/null 2>&1 || true

# The tables: each run's accepted msg/s (failures, delivered msg/s, 1-minute load at its start), the median, and
# the ratio of the medians; then the CPU each process used per accepted message.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rates() { local r; for r in "$@"; do echo "${r%% *}"; done; }
row() { # LABEL ROWS...
  local label=$1; shift
  local cells="" r rate failed delivered l
  for r in "$@"; do
    read -r rate failed delivered l <<< "$r"
    cells="$cells $rate (failed $failed, delivered $delivered/s, load $l) |"
  done
  echo "| $label |$cells **$(median $(rates "$@"))** |"
}
echo "## DKIM signing (rsa-sha256 + ed25519-sha256), $CONNS_SIGN connections, $MESSAGES messages per run"
echo
echo "Load average (1, 5, 15 min): $load_start at the start, $load_end at the end; $(nproc) cores."
for size in $SIZES; do
  declare -n t="rows_tern_$size" p="rows_postfix_$size"
  echo; echo "### $(human_size "$size")"; echo
  printf '| server |'; for round in $(seq "$RUNS"); do printf ' round %d: accepted msg/s |' "$round"; done; echo ' median |'
  printf '|---|'; for round in $(seq "$RUNS"); do printf -- '---|'; done; echo '---:|'
  row "Tern $(git rev-parse --short HEAD 2>/dev/null || true)" "${t[@]}"
  row "Postfix $(postconf -d -h mail_version) + opendkim $(dpkg-query -W -f='${Version}' opendkim) ×2" "${p[@]}"
  tm="$(median $(rates "${t[@]}"))"; pm="$(median $(rates "${p[@]}"))"
  echo; echo "Tern / Postfix, medians: $(printf '%.2f' "$(echo "scale=4; $tm / $pm" | bc)")"
  unset -n t p
  for s in tern postfix; do
    echo; echo "#### CPU per message: $s, $(human_size "$size")"; echo
    "$PY" bench/cpu-watch.py --table $(for round in $(seq "$RUNS"); do echo "$RESULTS/sign-$s-$size-$round.cpu"; done)
  done
done
