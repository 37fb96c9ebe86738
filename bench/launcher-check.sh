#!/usr/bin/env bash
# Checks the ./tern launcher on a fresh copy of this checkout (no target/), the way a new user meets it:
#   - the first build prints one line on standard error and nothing else, with no terminal escape code
#     (ESC, such as the ESC[0m colour reset Maven's console library writes as it exits);
#   - `tern --version` prints the pom's version;
#   - the next run does not build, and finds its JDK and class-data archive ready;
#   - a source newer than the jar builds again; a kept JDK that is gone is looked for again.
# It runs one or two Maven builds (about a minute on two busy cores), so it is not part of `mvn verify`.
#
#   bench/launcher-check.sh
set -euo pipefail
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$source_dir" && tar --exclude=./target --exclude=./data --exclude=./.git -cf - .) | tar -xf - -C "$work"
cd "$work"

failures=0
check() { # DESCRIPTION COMMAND...
  if "${@:2}"; then echo "ok    $1"; else echo "FAIL  $1"; failures=$((failures + 1)); fi
}
not() { ! "$@"; }
no_escape() { not grep -q $'\e' "$@"; }
archive_newer_than_jar() { local a; for a in target/cds/*.jsa; do [ "$a" -nt target/tern.jar ] && return 0; done; return 1; }

version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
building="tern: building target/tern.jar ..."

./tern --version > out 2> err
check "first run: the version is the pom's ($version)" [ "$(cat out)" = "tern $version" ]
check "first run: standard error is the one build line" [ "$(cat err)" = "$building" ]
check "first run: no escape code on either stream" no_escape out err
check "first run: a class-data archive was made" archive_newer_than_jar
check "first run: the JDK choice was kept" [ -s target/java-home ]

./tern --version > out 2> err
check "second run: no build, the same version" [ "$(cat out)$(cat err)" = "tern $version" ]

# The kept choice names a JDK that is no longer there: the launcher looks again and still runs.
sed -i '2s:.*:25 gone /nonexistent/jdk:' target/java-home
./tern --version > out 2> err
check "a kept JDK that is gone is looked for again" [ "$(cat out)$(cat err)" = "tern $version" ]
check "and the new choice is kept" not grep -q nonexistent target/java-home

sleep 1 # a source clearly newer than the jar, whatever the file system's time resolution
touch src/main/java/dev/tern/app/Main.java
./tern --version > out 2> err
check "a newer source builds again" [ "$(cat err)" = "$building" ]
check "and prints no escape code" no_escape out err
check "and the archive was made again for the new jar" archive_newer_than_jar

if [ "$failures" -gt 0 ]; then
  echo "launcher-check: $failures failed"
  exit 1
fi
echo "launcher-check: all passed"
