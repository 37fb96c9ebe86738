#!/usr/bin/env bash
# Configures a private Postfix instance to measure against Tern (docs/performance.md).
#
# It has its own configuration, queue and data directories, so it neither needs nor touches the main
# instance. It listens on 127.0.0.1:2526 only, accepts mail for the domain "localhost" and delivers it
# with virtual(8) to Maildirs under $MAIL_DIR/localhost/<user>/ (the layout Tern uses under its data
# directory), for bench@localhost and user1..user100@localhost. No DNS: the SMTP client uses native lookups and smtpd does not look up
# client names. Postfix's other settings keep their defaults: the baseline is a stock Postfix.
#
# Usage (as root, after `apt-get install postfix`):
#   bench/postfix-setup.sh            configure and start
#   bench/postfix-setup.sh stop       stop the instance
#   POSTFIX_BENCH_MILTER=inet:127.0.0.1:8891 bench/postfix-setup.sh
#                                     the same, and smtpd hands every message to that milter (smtpd_milters);
#                                     a milter that does not answer gets the mail refused with a 4xx
#                                     (milter_default_action = tempfail), never passed on unfiltered
# Settings come from the environment; the defaults are below.
set -euo pipefail

CONF="${POSTFIX_BENCH_CONF:-/etc/postfix-bench}"
QUEUE="${POSTFIX_BENCH_QUEUE:-/var/spool/postfix-bench}"
DATA="${POSTFIX_BENCH_DATA:-/var/lib/postfix-bench}"
MAIL_DIR="${POSTFIX_BENCH_MAIL:-/var/tmp/tern-bench/postfix-mail}"
PORT="${POSTFIX_BENCH_PORT:-2526}"
VMAIL="${POSTFIX_BENCH_USER:-tern-bench}"   # owner of the delivered mail
USERS="${POSTFIX_BENCH_USERS:-100}"         # user1..userN@localhost have mailboxes, and bench@localhost
MILTER="${POSTFIX_BENCH_MILTER:-}"          # smtpd_milters, e.g. inet:127.0.0.1:8891; empty: no milter

if [ "${1:-}" = stop ]; then
  postfix -c "$CONF" stop
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "postfix-setup: run as root" >&2; exit 1; }
command -v postfix >/dev/null || { echo "postfix-setup: install postfix first (apt-get install postfix)" >&2; exit 1; }

# A system user owns the Maildirs; virtual(8) refuses uids below virtual_minimum_uid (100).
id -u "$VMAIL" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$VMAIL"
uid="$(id -u "$VMAIL")"
gid="$(id -g "$VMAIL")"

mkdir -p "$CONF" "$QUEUE" "$DATA" "$MAIL_DIR"
chown "$VMAIL:$VMAIL" "$MAIL_DIR"
cp /etc/postfix/master.cf "$CONF/master.cf"
[ -f /etc/postfix/dynamicmaps.cf ] && cp /etc/postfix/dynamicmaps.cf "$CONF/"

# The mailbox users: bench@localhost and user1..userN@localhost, each a Maildir (the trailing slash selects
# Maildir format). virtual(8) refuses regexp substitutions, so the users are listed; texthash needs no postmap.
{
  printf 'bench@localhost\tlocalhost/bench/\n'
  for i in $(seq "$USERS"); do printf 'user%d@localhost\tlocalhost/user%d/\n' "$i" "$i"; done
  # smtp-source -r N -t rcpt@localhost names its recipients Nrcpt@localhost .. 2rcpt@localhost and rcpt@localhost
  printf 'rcpt@localhost\tlocalhost/rcpt/\n'
  for i in $(seq 2 10); do printf '%drcpt@localhost\tlocalhost/%drcpt/\n' "$i" "$i"; done
} > "$CONF/vmailbox"

cat > "$CONF/main.cf" <<EOF
# Private Postfix instance for benchmarks, written by bench/postfix-setup.sh.
compatibility_level = 3.6
queue_directory = $QUEUE
data_directory = $DATA
maillog_file = ${POSTFIX_BENCH_LOG:-/var/log/postfix-bench.log}
myhostname = bench.localdomain
mydomain = localdomain
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
alias_maps =
alias_database =
append_dot_mydomain = no
biff = no
smtpd_banner = \$myhostname ESMTP
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = localhost
virtual_mailbox_base = $MAIL_DIR
virtual_mailbox_maps = texthash:$CONF/vmailbox
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
# No DNS anywhere.
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtp_host_lookup = native
lmtp_host_lookup = native
smtpd_peername_lookup = no
EOF
if [ -n "$MILTER" ]; then
  printf 'smtpd_milters = %s\nmilter_default_action = tempfail\n' "$MILTER" >> "$CONF/main.cf"
fi

# Listen on 127.0.0.1:$PORT only (no port 25), and run every service outside a chroot jail.
postconf -c "$CONF" -M# smtp/inet
postconf -c "$CONF" -M "127.0.0.1:$PORT/inet = 127.0.0.1:$PORT inet n - n - - smtpd"
postconf -c "$CONF" -F '*/*/chroot = n'

postfix -c "$CONF" set-permissions >/dev/null 2>&1 || true
postfix -c "$CONF" check
if postfix -c "$CONF" status >/dev/null 2>&1; then
  postfix -c "$CONF" reload
else
  postfix -c "$CONF" start
fi
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && { echo "postfix-setup: listening on 127.0.0.1:$PORT, mail in $MAIL_DIR"; exit 0; }
  sleep 0.2
done
echo "postfix-setup: nothing listens on 127.0.0.1:$PORT; see ${POSTFIX_BENCH_LOG:-/var/log/postfix-bench.log}" >&2
exit 1
