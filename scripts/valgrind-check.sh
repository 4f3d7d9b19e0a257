#!/usr/bin/env bash
# Runs every stage program under valgrind's memcheck against live servers on
# loopback. Fails on any memory error or any definitely-lost byte.
# Usage: scripts/valgrind-check.sh BUILD_DIR   (a build without sanitizers)
set -euo pipefail

BUILD="$(cd "$1" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=servers.sh
source "$ROOT/scripts/servers.sh"
trap stop_servers EXIT

VALGRIND=(valgrind -q --error-exitcode=99 --leak-check=full
          --errors-for-leak-kinds=definite --show-leak-kinds=definite)
failures=0

# check NAME CMD...: runs CMD under memcheck, output to /dev/null.
check() {
  local name="$1"
  shift
  if "${VALGRIND[@]}" "$@" >/dev/null 2>"$BUILD/valgrind-$name.log"; then
    echo "valgrind: $name: clean"
  else
    echo "valgrind: $name: FAILED (status $?)"
    cat "$BUILD/valgrind-$name.log"
    failures=$((failures + 1))
  fi
}

start_server "$BUILD/poetry-server/slowpoetry" poetry/small-hours.txt --delay 0.001 --num-bytes 100
slow=$SERVER_PORT
# The fast server runs under memcheck too; it is checked when it stops.
start_server "${VALGRIND[0]}" poetry/slow-postman-ko.txt "${VALGRIND[@]:1}" \
  --log-file="$BUILD/valgrind-fastpoetry.log" "$BUILD/poetry-server/fastpoetry"
fast=$SERVER_PORT
fastpid=${SERVER_PIDS[-1]}

check client1 "$BUILD/part04-client1/get-poetry" "$slow" "$fast"
check client1-stack "$BUILD/part04-client1-stack/get-poetry-stack" "$fast"
check client2 "$BUILD/part05-client2/get-poetry" "$slow" "$fast" 1
check client2-simple "$BUILD/part05-client2-simple/get-poetry-simple" "$slow" "[::1]:1" "$fast"
check client2-stack "$BUILD/part05-client2-stack/get-poetry-stack" "$fast"
for solution in "$BUILD"/solutions/*/get-poetry; do
  check "solution-$(basename "$(dirname "$solution")")" "$solution" "$slow" "$fast"
done
"$BUILD/part04-client1-stack/get-poetry-stack" "$fast" 2>"$BUILD/stack1.txt" || true
"$BUILD/part05-client2-stack/get-poetry-stack" "$fast" 2>"$BUILD/stack2.txt" || true
check compare-stacks "$BUILD/part05-client2-stack/compare-stacks" "$BUILD/stack1.txt" \
  "$BUILD/stack2.txt"

# SIGTERM stops fastpoetry's reactor; memcheck then reports on exit.
kill -TERM "$fastpid"
if wait "$fastpid"; then
  echo "valgrind: fastpoetry: clean"
else
  echo "valgrind: fastpoetry: FAILED"
  cat "$BUILD/valgrind-fastpoetry.log"
  failures=$((failures + 1))
fi
SERVER_PIDS=("${SERVER_PIDS[@]:0:1}")

echo "valgrind: $failures program(s) with errors"
[ "$failures" -eq 0 ]
