#!/usr/bin/env bash
# The figures of the reactor at work are drawn from real runs, never by hand:
# this records client 2.0 and exercise 4's solution with REACTOR_TRACE, checks
# that each run has the shape the pages describe (trace-chart --check), and
# draws the figures from them as mscgen charts, which Doxygen embeds
# (\mscfile). Run by the docs build and by the test docs-figures-from-real-runs.
# Usage: docs/record-figures.sh BUILD_DIR OUT_DIR
# Exit status: 0 done, 1 a run failed or broke the shape, 2 bad arguments.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: docs/record-figures.sh BUILD_DIR OUT_DIR" >&2; exit 2; }
BUILD="$(cd "$1" && pwd)"
mkdir -p "$2"
OUT="$(cd "$2" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/servers.sh
source "$ROOT/scripts/servers.sh"
# shellcheck source=../scripts/stages.sh
source "$ROOT/scripts/stages.sh"
trap stop_servers EXIT

CHART="$BUILD/trace-chart/trace-chart"

# record STAGE NAME POEM...: a run of STAGE, kept as OUT/NAME.json, checked.
record() {
  local stage="$1" name="$2"
  shift 2
  if ! record_run "$BUILD" "$stage" "$OUT/$name.json" "$@"; then
    echo "record-figures: $stage failed; its output:" >&2
    cat "$OUT/$name.log" >&2
    exit 1
  fi
  "$CHART" --check "$OUT/$name.json" || exit 1
}

# figure NAME RUN ARGS...: OUT/NAME.msc, drawn from OUT/RUN.json.
figure() {
  local name="$1" run="$2"
  shift 2
  "$CHART" "$@" "$OUT/$run.json" >"$OUT/$name.msc.new"
  mv "$OUT/$name.msc.new" "$OUT/$name.msc"
}

record part05-client2 client2 poetry/small-hours.txt poetry/patient-socket.txt
record solutions/04-connection-lost-stack connection-lost poetry/small-hours.txt

figure reactor_loop client2 --turns 8
figure born client2 --part born
figure meets client2 --part meets
figure data_received client2 --part data
figure connection_lost connection-lost --part lost
