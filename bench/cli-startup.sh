#!/usr/bin/env bash
# Start-up of the short commands (docs/performance.md, "Start-up of the command line"): the wall time of
# `tern --version`, `tern user list`, `tern queue list` and `tern sendmail` (a three-line message for the
# one user) through the ./tern launcher, on a fresh data directory; the median of RUNS runs after WARMUP
# untimed ones.
#
#   bench/cli-startup.sh                  # this checkout
#   bench/cli-startup.sh /other/checkout  # another one, e.g. an older commit for a before/after
#   RUNS=50 bench/cli-startup.sh
#
# Uses hyperfine when it is installed (apt-get install hyperfine), which also gives the CPU time (user +
# system, mean); else a loop timed with date +%s%N. The machine's load average is printed before and
# after: on a shared machine, compare runs made back to back.
set -euo pipefail
checkout="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)"
RUNS="${RUNS:-30}"
WARMUP="${WARMUP:-3}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT

# Untimed: builds the jar if needed (and whatever else the launcher prepares), then one user to list.
"$checkout/tern" --version >/dev/null
echo 'bench-password' | "$checkout/tern" user add --data "$data" bench@localhost >/dev/null
printf 'Subject: start-up\n\nOne short message.\n' > "$data/message.txt"

median_of_loop() { # INPUT COMMAND...: prints "MEDIAN MIN" in ms
  local i start end times=() input="$1"
  shift
  for ((i = 0; i < WARMUP; i++)); do "$@" < "$input" >/dev/null; done
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s%N)
    "$@" < "$input" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)], t[1] }'
}

median_of_hyperfine() { # INPUT COMMAND: prints "MEDIAN MIN CPU" in ms
  # hyperfine 1.15 has no --input: with one, the command runs in a shell whose own start hyperfine subtracts.
  local direct=(-N) command="$2"
  [ "$1" = /dev/null ] || { direct=(); command="$command < $1"; }
  hyperfine "${direct[@]}" --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$data/run.json" "$command" >/dev/null 2>&1
  tr -d ' \n' < "$data/run.json" | sed -E 's/.*"median":([0-9.e-]+).*"user":([0-9.e-]+),"system":([0-9.e-]+),"min":([0-9.e-]+).*/\1 \4 \2 \3/' \
    | awk '{ printf "%d %d %d\n", $1 * 1000 + 0.5, $2 * 1000 + 0.5, ($3 + $4) * 1000 + 0.5 }'
}

echo "checkout: $checkout"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   cores: $(nproc)   runs: $RUNS after $WARMUP warm-up"
printf '%-32s %10s %10s %10s\n' command "median ms" "min ms" "cpu ms"
for args in "--version" "user list --data $data" "queue list --data $data" \
    "sendmail --data $data bench@localhost"; do
  read -r -a words <<< "$args"
  input=/dev/null
  [ "${words[0]}" = sendmail ] && input="$data/message.txt"
  if command -v hyperfine >/dev/null; then
    read -r median min cpu <<< "$(median_of_hyperfine "$input" "$checkout/tern $args")"
  else
    read -r median min <<< "$(median_of_loop "$input" "$checkout/tern" "${words[@]}")"
    cpu="-"
  fi
  label="tern ${words[0]}"
  case "${words[1]:-}" in "" | -*) ;; *) label="$label ${words[1]}" ;; esac
  printf '%-32s %10s %10s %10s\n' "$label" "$median" "$min" "$cpu"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
