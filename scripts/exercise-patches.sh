#!/usr/bin/env bash
# The exercises' starters and wrong solutions are kept as patches of the
# official solutions:
#
#   solutions/NN-name/starter.patch     the solution -> the untouched starter
#   solutions/NN-name/wrong/NAME.patch  the solution -> a plausible mistake;
#                                       its first line says which
#
# The workbook keeps its pristine copy of each starter this way (`./workbook
# reset N` rebuilds it from them), and CI builds every variant and grades it
# (tests/exercises/CMakeLists.txt).
#
# For maintainers:
#   scripts/exercise-patches.sh refresh   after editing a starter in exercises/
#                                         together with its solution: rewrites
#                                         every starter.patch
#   scripts/exercise-patches.sh check     every starter in exercises/ is the
#                                         solution plus starter.patch, and
#                                         every wrong patch applies (CI runs it
#                                         on a fresh clone)
#
# Sourced by ./workbook for variant_sources().
set -euo pipefail

EXERCISE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The files of an exercise that are the student's work: main.cpp, and
# answers.txt where there is one.
exercise_work_files() {
  local dir="$1" file
  for file in main.cpp answers.txt; do
    [ -f "$dir/$file" ] && echo "$file"
  done
  return 0
}

# variant_sources NAME PATCH DEST: writes into DEST the work files of
# exercise NAME (e.g. 02-client1-timeout) as PATCH makes them from the
# solution. Fails if the patch does not apply.
variant_sources() {
  local name="$1" patch="$2" dest="$3" file
  local solution="$EXERCISE_ROOT/solutions/$name"
  # patch reads the file after changing into DEST: make the path absolute.
  patch="$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")"
  mkdir -p "$dest"
  for file in $(exercise_work_files "$solution"); do
    cp "$solution/$file" "$dest/$file"
  done
  if ! patch --quiet --forward --no-backup-if-mismatch -p1 -d "$dest" -i "$patch" >/dev/null; then
    echo "${patch#"$EXERCISE_ROOT"/} does not apply to solutions/$name" >&2
    return 1
  fi
}

# The exercise folders, in order.
exercise_names() {
  local dir
  for dir in "$EXERCISE_ROOT"/solutions/[0-9][0-9]-*/; do
    basename "$dir"
  done
}

# refresh: rewrites solutions/NN/starter.patch from exercises/NN, keeping its
# first line (the description).
refresh_starters() {
  local name work file description
  work=$(mktemp -d)
  for name in $(exercise_names); do
    rm -rf "$work/a" "$work/b"
    mkdir -p "$work/a" "$work/b"
    for file in $(exercise_work_files "$EXERCISE_ROOT/solutions/$name"); do
      cp "$EXERCISE_ROOT/solutions/$name/$file" "$work/a/"
      cp "$EXERCISE_ROOT/exercises/$name/$file" "$work/b/"
    done
    description="The untouched starter of exercise ${name%%-*}: the solution with the work taken out."
    {
      echo "$description"
      for file in $(exercise_work_files "$work/a"); do
        # diff exits 1 when the files differ, which they must.
        diff -u --label "a/$file" --label "b/$file" "$work/a/$file" "$work/b/$file" || true
      done
    } >"$EXERCISE_ROOT/solutions/$name/starter.patch"
    echo "rewrote solutions/$name/starter.patch"
  done
  rm -rf "$work"
}

# check: the starters in exercises/ are what the patches say; every wrong
# patch applies.
check_patches() {
  local name work file patch problems=0
  work=$(mktemp -d)
  for name in $(exercise_names); do
    rm -rf "$work/starter"
    if ! variant_sources "$name" "$EXERCISE_ROOT/solutions/$name/starter.patch" "$work/starter"; then
      echo "solutions/$name/starter.patch does not apply to the solution"
      problems=1
      continue
    fi
    for file in $(exercise_work_files "$work/starter"); do
      if ! cmp -s "$work/starter/$file" "$EXERCISE_ROOT/exercises/$name/$file"; then
        echo "exercises/$name/$file is not the solution plus starter.patch" \
             "(scripts/exercise-patches.sh refresh rewrites the patch)"
        problems=1
      fi
    done
    for patch in "$EXERCISE_ROOT/solutions/$name"/wrong/*.patch; do
      [ -e "$patch" ] || continue
      rm -rf "$work/wrong"
      if ! variant_sources "$name" "$patch" "$work/wrong"; then
        echo "${patch#"$EXERCISE_ROOT"/} does not apply to the solution"
        problems=1
      fi
    done
  done
  rm -rf "$work"
  [ "$problems" -eq 0 ] && echo "Every starter and wrong-solution patch is in order."
  return "$problems"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    refresh) refresh_starters ;;
    check) check_patches ;;
    *) echo "usage: scripts/exercise-patches.sh refresh|check" >&2; exit 2 ;;
  esac
fi
