#!/usr/bin/env bash
# Static checks over the shim and every program: clang-tidy (.clang-tidy at
# the root) and cppcheck. Any finding fails.
# Usage: scripts/lint.sh BUILD_DIR   (holding compile_commands.json)
set -euo pipefail

BUILD="$(cd "$1" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The exercise starters are left out: they are unfinished on purpose.
SOURCES=(internet common part04-client1 part05-client2 part05-client2-simple
         part05-client2-stack poetry-server trace-chart solutions fuzz)

tidy=$(command -v run-clang-tidy || command -v run-clang-tidy-14)
echo "lint: clang-tidy"
# clang does not know one of gcc's flags the build uses; that is no finding.
"$tidy" -p "$BUILD" -quiet -extra-arg=-Wno-ignored-optimization-argument "^$ROOT/($(IFS='|'; echo "${SOURCES[*]}"))/" \
  >"$BUILD/clang-tidy.log" 2>&1 || true
# run-clang-tidy's status only says whether clang-tidy ran; the findings are
# in its output.
if grep -qE "(warning|error): " "$BUILD/clang-tidy.log"; then
  grep -E "(warning|error): " "$BUILD/clang-tidy.log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u
  echo "lint: clang-tidy found problems (full log: $BUILD/clang-tidy.log)"
  exit 1
fi

echo "lint: cppcheck"
cppcheck --enable=warning,performance,portability --inline-suppr -q --error-exitcode=1 \
  --std=c++20 -I . --suppress=missingIncludeSystem -j 2 "${SOURCES[@]}"
echo "lint: clean"
