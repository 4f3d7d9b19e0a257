#!/usr/bin/env bash
# Runs the stage programs against real slow poetry servers and writes what
# they print into files the documentation site includes, so that no output
# on the site is ever pasted by hand. Run by the docs build:
#
#   scripts/docs-outputs.sh BUILD_DIR OUT_DIR
#
# It also writes the sources the full listings show, without the pages'
# snippet markers (OUT_DIR/listings).
#
# Each file is a transcript: the commands as a student types them (from the
# top of the tree), each followed by what it printed. The servers take free
# ports, as with ./workbook serve; their "Serving ... on port N." line is in
# the transcript, so the ports in the client's command and output are the
# ports that were used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
BUILD="$(cd "$1" && pwd)"
OUT="$2"
mkdir -p "$OUT"
cd "$ROOT"

# shellcheck source=scripts/servers.sh
source "$ROOT/scripts/servers.sh"
trap stop_servers EXIT

# The build folder as a student would type it: build/dev, say.
REL="$(realpath --relative-to="$ROOT" "$BUILD")"

for program in poetry-server/slowpoetry part04-client1/get-poetry \
               part04-client1-stack/get-poetry-stack part05-client2/get-poetry \
               part05-client2-simple/get-poetry-simple \
               part05-client2-stack/get-poetry-stack part05-client2-stack/compare-stacks \
               solutions/04-connection-lost-stack/get-poetry docs/examples/call-later; do
  if [ ! -x "$BUILD/$program" ]; then
    echo "$0: $REL/$program is not built; build the docs target, which builds it first" >&2
    exit 1
  fi
done

# Small chunks, quickly: a few reads per poem, and the run over in a second.
SERVER_FLAGS=(--delay 0.1 --num-bytes 100)
POEMS=(poetry/patient-socket.txt poetry/slow-postman-ko.txt poetry/small-hours.txt)
PORTS=()
TRANSCRIPT=

# serve POEM...: starts a server per poem, records its command and first line.
serve() {
  local poem
  PORTS=()
  for poem in "$@"; do
    start_server "$BUILD/poetry-server/slowpoetry" "$poem" "${SERVER_FLAGS[@]}"
    PORTS+=("$SERVER_PORT")
    {
      echo "\$ $REL/poetry-server/slowpoetry ${SERVER_FLAGS[*]} $poem &"
      head -n 1 "${SERVER_LOGS[-1]}"
    } >>"$TRANSCRIPT"
  done
}

# run PROGRAM ARGS...: runs a program of the build, both streams into the
# transcript, and notes a non-zero exit status as a shell would show it.
run() {
  local program="$1"
  shift
  echo "\$ $REL/$program $*" >>"$TRANSCRIPT"
  local status=0
  "$BUILD/$program" "$@" >>"$TRANSCRIPT" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "\$ echo \$?" >>"$TRANSCRIPT"
    echo "$status" >>"$TRANSCRIPT"
  fi
}

# begin NAME: the next commands go to OUT/NAME.txt.
begin() {
  TRANSCRIPT="$OUT/$1.txt"
  : >"$TRANSCRIPT"
}

# refused_port: a loopback port where nothing listens any more (a server's
# port, once that server has been stopped).
refused_port() {
  start_server "$BUILD/poetry-server/slowpoetry" poetry/small-hours.txt
  local port=$SERVER_PORT
  stop_servers
  echo "$port"
}

# --- Part 4, client 1.0 -------------------------------------------------------
begin part4-run
serve "${POEMS[@]}"
run part04-client1/get-poetry "${PORTS[@]}"
stop_servers

# callLater() on its own, the reactor's lines among the program's.
begin part4-call-later
echo "\$ REACTOR_TRACE=1 $REL/docs/examples/call-later" >>"$TRANSCRIPT"
REACTOR_TRACE=1 "$BUILD/docs/examples/call-later" >>"$TRANSCRIPT" 2>&1

NOBODY=$(refused_port)
begin part4-refused
serve poetry/small-hours.txt
run part04-client1/get-poetry "${PORTS[0]}" "$NOBODY"
stop_servers

# --- Part 5, client 2.0 and 2.1 -----------------------------------------------
begin part5-run
serve "${POEMS[@]}"
run part05-client2/get-poetry "${PORTS[@]}" "localhost:$NOBODY"
stop_servers

begin part5-simple-run
serve "${POEMS[@]}"
run part05-client2-simple/get-poetry-simple "${PORTS[@]}" "$NOBODY"
stop_servers

# One callback at a time: two poems at once, in big pieces, traced.
begin part5-one-at-a-time
SERVER_FLAGS=(--delay 0.1 --num-bytes 300)
serve poetry/small-hours.txt poetry/patient-socket.txt
echo "\$ REACTOR_TRACE=1 $REL/part05-client2/get-poetry ${PORTS[*]}" >>"$TRANSCRIPT"
REACTOR_TRACE=1 "$BUILD/part05-client2/get-poetry" "${PORTS[@]}" >>"$TRANSCRIPT" 2>&1
stop_servers
SERVER_FLAGS=(--delay 0.1 --num-bytes 100)

# --- The stack edition: both stacks, then side by side ------------------------
begin part5-stack-run
serve poetry/small-hours.txt
run part05-client2-stack/get-poetry-stack "${PORTS[0]}"
stop_servers

STACKS=$(mktemp -d)
start_server "$BUILD/poetry-server/slowpoetry" poetry/small-hours.txt "${SERVER_FLAGS[@]}"
"$BUILD/part04-client1-stack/get-poetry-stack" "$SERVER_PORT" 2>"$STACKS/client1.txt" || true
"$BUILD/part05-client2-stack/get-poetry-stack" "$SERVER_PORT" 2>"$STACKS/client2.txt" || true
stop_servers
cp "$STACKS/client1.txt" "$OUT/part4-stack.txt"
{
  echo "\$ ./workbook stacks"
  echo "..."
  echo "== side by side =="
  "$BUILD/part05-client2-stack/compare-stacks" "$STACKS/client1.txt" "$STACKS/client2.txt"
} >"$OUT/compare-stacks.txt"
rm -rf "$STACKS"

# --- Our stacks beside real Twisted's (python3-twisted) -----------------------
# The aligner runs the four programs itself, against its own server, and
# fails if a key frame of ours has lost its Twisted partner.
{
  echo "\$ ./workbook stacks --twisted"
  echo "..."
  PYTHONPATH="$ROOT" python3 -m frontend.twisted_stacks --check --run "$BUILD"
} >"$OUT/twisted-stacks.txt"

# --- The reactor's trace ------------------------------------------------------
begin trace-client2
serve poetry/small-hours.txt
echo "\$ REACTOR_TRACE=1 $REL/part05-client2/get-poetry ${PORTS[0]}" >>"$TRANSCRIPT"
REACTOR_TRACE=1 "$BUILD/part05-client2/get-poetry" "${PORTS[0]}" >>"$TRANSCRIPT" 2>&1
stop_servers

begin trace-client1
serve poetry/small-hours.txt
echo "\$ REACTOR_TRACE=1 $REL/part04-client1/get-poetry ${PORTS[0]}" >>"$TRANSCRIPT"
REACTOR_TRACE=1 "$BUILD/part04-client1/get-poetry" "${PORTS[0]}" >>"$TRANSCRIPT" 2>&1
stop_servers

# --- Solution 4: the stacks of connectionLost(), clean close and reset --------
begin solution4-clean
serve poetry/small-hours.txt
run solutions/04-connection-lost-stack/get-poetry "${PORTS[0]}"
stop_servers

begin solution4-reset
SERVER_FLAGS=(--delay 0.1 --num-bytes 100 --reset-after 2)
serve poetry/small-hours.txt
run solutions/04-connection-lost-stack/get-poetry "${PORTS[0]}"
stop_servers

# --- Troubleshooting: a port in use, and nobody listening ---------------------
begin trouble-port-in-use
SERVER_FLAGS=(--delay 0.1 --num-bytes 100)
serve poetry/small-hours.txt
run poetry-server/slowpoetry --port "${PORTS[0]}" poetry/patient-socket.txt
stop_servers

begin trouble-no-server
run part04-client1/get-poetry "$NOBODY"
run part05-client2/get-poetry "$NOBODY"

# --- The full listings: the sources as compiled, without snippet markers -----
# A full listing (\includelineno listings/FILE) shows the copy made here: each
# line `//! [NAME]` that marks a snippet for the pages is left empty, so that
# the other lines keep the numbers stack traces print.
rm -rf "$OUT/listings"
find internet part0* solutions \( -name '*.cpp' -o -name '*.h' \) -print | sort |
  while read -r file; do
    mkdir -p "$OUT/listings/$(dirname "$file")"
    sed -E 's@^[[:space:]]*//! \[[A-Za-z0-9_]+\][[:space:]]*$@@' "$file" >"$OUT/listings/$file"
  done

echo "Program outputs for the site written to $OUT"
