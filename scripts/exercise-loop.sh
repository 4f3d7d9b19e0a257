# shellcheck shell=bash
# The exercise loop of ./workbook: exercises, check, watch, hint, reset,
# solution, and grade for instructors. Sourced by ./workbook (which sets ROOT
# and cds there); not a program of its own.
#
# What the loop remembers lives in .workbook/ (not in git):
#   .workbook/passed/NN    exercise NN passed `check` (holds its files' checksum)
#   .workbook/hints/NN     how many hints of exercise NN were shown
#   .workbook/backup/...   the work `reset` replaced

# shellcheck source=scripts/exercise-patches.sh
source "$ROOT/scripts/exercise-patches.sh"

LOOP_BUILD="build/dev"       # the build the loop uses: the dev preset
LOOP_STATE="$ROOT/.workbook"
LOOP_TESTS="$LOOP_BUILD/tests/exercises/exercise-tests"

# The exercises, in order: 01-survive-refusal ...
mapfile -t LOOP_EXERCISES < <(exercise_names)

# usage_error MESSAGE: one line on stderr, exit status 2.
usage_error() {
  echo "workbook: $*" >&2
  exit 2
}

# arguments MIN MAX USAGE ARG...: a usage error unless there are MIN to MAX ARGs.
arguments() {
  local min="$1" max="$2" usage="$3"
  shift 3
  if [ $# -lt "$min" ] || [ $# -gt "$max" ]; then usage_error "usage: ./workbook $usage"; fi
}

# exercise_name N: the folder name of exercise N (1, 01 ...), or a usage error.
exercise_name() {
  local n="${1:-}" count="${#LOOP_EXERCISES[@]}"
  if ! [[ "$n" =~ ^[0-9]+$ ]] || [ $((10#$n)) -lt 1 ] || [ $((10#$n)) -gt "$count" ]; then
    usage_error "there is no exercise '$n': the exercises are 1 to $count (./workbook exercises lists them)"
  fi
  echo "${LOOP_EXERCISES[$((10#$n - 1))]}"
}

# exercise_number NAME: 2 for 02-client1-timeout.
exercise_number() {
  echo $((10#${1%%-*}))
}

# exercise_title NAME: the title line of its README, without the "# ".
exercise_title() {
  head -n 1 "exercises/$1/README.md" | sed 's/^# *//'
}

# work_checksum NAME: one checksum of the student's files of the exercise.
work_checksum() {
  local name="$1" file
  for file in $(exercise_work_files "solutions/$name"); do
    cat "exercises/$name/$file" 2>/dev/null || true
  done | sha256sum | cut -d' ' -f1
}

# is_pristine NAME: true if the exercise is still the untouched starter.
is_pristine() {
  local name="$1" tmp file same=0
  tmp=$(mktemp -d)
  variant_sources "$name" "solutions/$name/starter.patch" "$tmp"
  for file in $(exercise_work_files "$tmp"); do
    cmp -s "$tmp/$file" "exercises/$name/$file" || same=1
  done
  rm -rf "$tmp"
  return "$same"
}

# has_passed NAME: true if `check` passed on exactly the files as they are.
has_passed() {
  local marker="$LOOP_STATE/passed/${1%%-*}"
  [ -f "$marker" ] && [ "$(cat "$marker")" = "$(work_checksum "$1")" ]
}

ensure_configured() {
  [ -f "$LOOP_BUILD/build.ninja" ] && return 0
  setup
  echo "Configuring the build (once) ..."
  cmake --preset dev >/dev/null
}

# build_quietly LOG TARGET...: builds; the output goes to LOG.
build_quietly() {
  local log="$1"
  shift
  cmake --build --preset dev --target "$@" >"$log" 2>&1
}

# show_compiler_output LOG: the compiler's words, without ninja's progress lines.
show_compiler_output() {
  grep -v -e '^\[[0-9]*/[0-9]*\] ' -e '^ninja: build stopped' "$1" | sed 's/^/    /'
}

# run_exercise_tests NAME OUT: runs the exercise's tests on the student's
# build; the test program's output goes to OUT. Exit status 0 if all pass.
run_exercise_tests() {
  local name="$1" out="$2" nn="${1%%-*}"
  EXERCISE_PROGRAMS="$ROOT/$LOOP_BUILD/exercises" EXERCISE_SOURCES="$ROOT/exercises" \
    "$LOOP_TESTS" --gtest_filter="Exercise$nn.*:Exercise${nn}Guard.*" --gtest_color=no \
    >"$out" 2>&1
}

# tell_results OUT: the test program's output as a list of tests, each failure
# with its story. googletest's own framing lines are left out.
tell_results() {
  awk '
    /^\[ RUN      \] /   { name = $4; story = ""; next }
    /^\[       OK \] /   { printf "  passes: %s\n", name; next }
    /^\[  FAILED  \] .*\(/ {
      printf "\n  FAILS:  %s\n%s\n", name, story; next
    }
    /^\[  SKIPPED \] /   { next }
    /^\[/ || /^Running main/ || /^Note: / { next }
    /: Failure$/ || /^Failed$/ { next }
    name != ""          { story = story "    " $0 "\n" }
  ' "$1"
}

# next_exercise AFTER: the first exercise after AFTER (a name, or "" for the
# start) that has not passed; nothing if all have.
next_exercise() {
  local after="$1" name seen=""
  [ -z "$after" ] && seen=1
  for name in "${LOOP_EXERCISES[@]}"; do
    if [ -n "$seen" ] && ! has_passed "$name"; then
      echo "$name"
      return
    fi
    [ "$name" = "$after" ] && seen=1
  done
  # Wrap around: an earlier exercise may still be open.
  for name in "${LOOP_EXERCISES[@]}"; do
    if ! has_passed "$name"; then
      echo "$name"
      return
    fi
  done
}

# check N: build exercise N (a build error fails the check), run its tests and
# tell the result. Exit status 0 if and only if it passes.
check_exercise() {
  local name nn log out next
  name=$(exercise_name "${1:-}")
  nn="${name%%-*}"
  ensure_configured
  log=$(mktemp)
  out=$(mktemp)
  echo "== $(exercise_title "$name")"
  echo "Building exercises/$name ..."
  if ! build_quietly "$log" "exercise-$name"; then
    echo
    echo "Exercise $(exercise_number "$name") does not build, so it was not graded. The compiler said:"
    echo
    show_compiler_output "$log"
    echo
    echo "Look at the first error above: the file and line come first."
    rm -f "$log" "$out"
    return 1
  fi
  if grep -q 'warning: ' "$log"; then
    echo "It builds; the compiler warned (worth a look, they do not stop the build):"
    show_compiler_output "$log"
  fi
  if ! build_quietly "$log" exercise-tests; then
    echo "The grading tests do not build (this is not your exercise's fault):"
    show_compiler_output "$log"
    rm -f "$log" "$out"
    return 1
  fi
  echo "Running its tests: each starts its own servers, runs your get-poetry against them"
  echo "and compares what it does with what it should do."
  if run_exercise_tests "$name" "$out"; then
    tell_results "$out"
    mkdir -p "$LOOP_STATE/passed"
    work_checksum "$name" >"$LOOP_STATE/passed/$nn"
    next=$(next_exercise "$name")
    echo
    if [ -n "$next" ]; then
      echo "Exercise $(exercise_number "$name") done. Next: exercise $(exercise_number "$next")," \
           "exercises/$next/README.md (./workbook check $(exercise_number "$next"))."
    else
      echo "Exercise $(exercise_number "$name") done. Every exercise is done."
    fi
    echo "Compare with the official solution: ./workbook solution $(exercise_number "$name")"
    rm -f "$log" "$out"
    return 0
  fi
  tell_results "$out"
  local passed failed
  passed=$(grep -c '^\[       OK \] ' "$out" || true)
  failed=$(grep -c '^\[  FAILED  \] .*(' "$out" || true)
  echo
  if [ "$passed$failed" = "00" ]; then
    echo "The tests did not run as they should; their output:"
    sed 's/^/    /' "$out"
  else
    echo "Exercise $(exercise_number "$name") is not done yet: $passed of $((passed + failed)) tests pass."
    echo "Read the first failure above: what ran, what was expected, what happened."
    echo "Stuck? ./workbook hint $(exercise_number "$name") gives a hint; asking again gives the next."
  fi
  rm -f "$log" "$out"
  return 1
}

# exercises: each exercise with its state, and which is next.
list_exercises() {
  local name state log out next="" passed total
  ensure_configured
  log=$(mktemp)
  out=$(mktemp)
  for name in "${LOOP_EXERCISES[@]}"; do
    if has_passed "$name"; then
      state="done"
    elif ! build_quietly "$log" "exercise-$name"; then
      state="does not build (./workbook check $(exercise_number "$name") shows why)"
    elif is_pristine "$name"; then
      state="not started"
    else
      build_quietly "$log" exercise-tests || true
      if run_exercise_tests "$name" "$out"; then
        state="done"
        mkdir -p "$LOOP_STATE/passed"
        work_checksum "$name" >"$LOOP_STATE/passed/${name%%-*}"
      else
        passed=$(grep -c '^\[       OK \] ' "$out" || true)
        total=$((passed + $(grep -c '^\[  FAILED  \] .*(' "$out" || true)))
        state="not yet ($passed of $total tests pass)"
      fi
    fi
    [ -z "$next" ] && [ "$state" != "done" ] && next="$name"
    printf '  %s  %-26s %-44s %s\n' "$(exercise_number "$name")" "$name" \
      "$(exercise_title "$name" | sed 's/^Exercise [0-9]* ([^)]*): //')" "$state"
  done
  rm -f "$log" "$out"
  echo
  if [ -n "$next" ]; then
    echo "Next: exercise $(exercise_number "$next"), exercises/$next/README.md;" \
         "./workbook check $(exercise_number "$next") grades it, ./workbook watch re-grades on every save."
  else
    echo "Every exercise is done."
  fi
}

# changed_files_stamp NAME: changes whenever a file of the exercise does.
changed_files_stamp() {
  find "exercises/$1" -type f -printf '%p %T@ %s\n' | sort | sha256sum
}

# wait_for_change NAME: returns once a file of exercises/NAME changes.
wait_for_change() {
  local name="$1" before
  if command -v inotifywait >/dev/null; then
    # Editors save in many ways (write in place, or write a copy and rename).
    inotifywait -qq -r -e close_write,moved_to,create,delete "exercises/$name" || true
    sleep 0.2  # let an editor finish saving the rest of its files
  else
    before=$(changed_files_stamp "$name")
    while [ "$(changed_files_stamp "$name")" = "$before" ]; do sleep 1; done
  fi
}

# watch [N]: check on every change of the exercise's files, from exercise N
# or the first one not done; on to the next when it passes. Ctrl-C leaves.
watch_exercises() {
  local name
  if [ $# -gt 0 ]; then
    name=$(exercise_name "$1")
  else
    name=$(next_exercise "")
    if [ -z "$name" ]; then
      echo "Every exercise is done. ./workbook watch N watches exercise N all the same."
      return 0
    fi
  fi
  trap 'echo; echo "Stopped watching."; exit 0' INT TERM
  ensure_configured
  while true; do
    if check_exercise "$(exercise_number "$name")"; then
      local next
      next=$(next_exercise "$name")
      if [ -z "$next" ]; then
        echo "Every exercise is done: nothing left to watch."
        return 0
      fi
      name="$next"
      echo
      echo "Watching exercise $(exercise_number "$name") now: edit exercises/$name/ and save." \
           "Ctrl-C stops watching."
      wait_for_change "$name"
      continue
    fi
    echo
    echo "Watching exercises/$name/: save a change to check again. Ctrl-C stops watching."
    wait_for_change "$name"
    echo
  done
}

# hint N [--ko|--en]: the next hint of exercise N, a nudge first, more on asking again.
show_hint() {
  local name nn lang="en" file shown count
  name=$(exercise_name "${1:-}")
  nn="${name%%-*}"
  case "${LANG:-}" in ko*) lang="ko" ;; esac
  case "${2:-}" in
    --ko) lang="ko" ;;
    --en) lang="en" ;;
    "") ;;
    *) usage_error "hint takes an exercise number and --ko or --en, not '$2'" ;;
  esac
  file="exercises/$name/HINTS.md"
  [ "$lang" = "ko" ] && file="exercises/$name/HINTS.ko.md"
  count=$(grep -c '^## ' "$file")
  mkdir -p "$LOOP_STATE/hints"
  shown=$(cat "$LOOP_STATE/hints/$nn" 2>/dev/null || echo 0)
  if [ "$shown" -ge "$count" ]; then
    shown=$((count - 1))
    if [ "$lang" = "ko" ]; then
      echo "(마지막 힌트입니다. 더 필요하면 README.ko.md를 다시 읽어 보세요.)"
    else
      echo "(That was the last hint. README.md says the rest.)"
    fi
  fi
  # The section after the SHOWN-th "## " heading, heading included.
  awk -v want=$((shown + 1)) '/^## /{n++} n==want' "$file"
  echo "$((shown + 1))" >"$LOOP_STATE/hints/$nn"
  if [ $((shown + 1)) -lt "$count" ]; then
    if [ "$lang" = "ko" ]; then
      echo "(힌트 $((shown + 1))/$count. 다음 힌트: ./workbook hint $((10#$nn)) --ko)"
    else
      echo "(Hint $((shown + 1)) of $count. Ask again for the next: ./workbook hint $((10#$nn)))"
    fi
  fi
}

# reset N [--yes]: the untouched starter back, after asking; the work it
# replaces is kept in .workbook/backup/.
reset_exercise() {
  local name nn answer tmp file backup
  name=$(exercise_name "${1:-}")
  nn="${name%%-*}"
  case "${2:-}" in --yes | "") ;; *) usage_error "reset takes an exercise number and --yes, not '$2'" ;; esac
  if is_pristine "$name"; then
    echo "exercises/$name is the untouched starter already: nothing to do."
    return 0
  fi
  if [ "${2:-}" != "--yes" ]; then
    if [ ! -t 0 ]; then
      usage_error "reset asks before it replaces your work; without a terminal, add --yes"
    fi
    read -r -p "Replace your work in exercises/$name with the untouched starter? [y/N] " answer
    case "$answer" in
      y | Y | yes) ;;
      *) echo "Nothing changed."; return 0 ;;
    esac
  fi
  backup="$LOOP_STATE/backup/$name-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$backup"
  tmp=$(mktemp -d)
  variant_sources "$name" "solutions/$name/starter.patch" "$tmp"
  for file in $(exercise_work_files "$tmp"); do
    cp "exercises/$name/$file" "$backup/" 2>/dev/null || true
    cp "$tmp/$file" "exercises/$name/$file"
  done
  rm -rf "$tmp"
  rm -f "$LOOP_STATE/passed/$nn" "$LOOP_STATE/hints/$nn"
  echo "exercises/$name is the untouched starter again. Your work is kept in ${backup#"$ROOT"/}."
}

# solution N [--force]: the official solution, as a diff against the starter,
# once `check N` has passed.
show_solution() {
  local name nn tmp file
  name=$(exercise_name "${1:-}")
  nn="${name%%-*}"
  case "${2:-}" in --force | "") ;; *) usage_error "solution takes an exercise number and --force, not '$2'" ;; esac
  if [ ! -f "$LOOP_STATE/passed/$nn" ] && [ "${2:-}" != "--force" ]; then
    echo "Exercise $((10#$nn)) has not passed yet: ./workbook check $((10#$nn)) first." \
         "(./workbook solution $((10#$nn)) --force shows it anyway.)"
    return 1
  fi
  tmp=$(mktemp -d)
  variant_sources "$name" "solutions/$name/starter.patch" "$tmp"
  echo "The official solution of exercise $((10#$nn)), as changes to the starter" \
       "(solutions/$name/README.md explains it):"
  echo
  for file in $(exercise_work_files "$tmp"); do
    diff -u --label "starter/$file" --label "solution/$file" "$tmp/$file" "solutions/$name/$file" || true
  done
  rm -rf "$tmp"
}

# exercises_folder DIR: DIR's exercises/ folder if DIR is a copy of the
# workbook (or DIR itself if it is such a folder); a usage error otherwise.
exercises_folder() {
  local dir="$1" name
  local folder="$dir/exercises"
  [ -d "$folder" ] || folder="$dir"
  for name in "${LOOP_EXERCISES[@]}"; do
    if [ ! -f "$folder/$name/main.cpp" ]; then
      usage_error "$dir is not a copy of the workbook: there is no exercises/$name/main.cpp in it"
    fi
  done
  (cd "$folder" && pwd)
}

# grade [--out DIR] STUDENT_DIR...: grades each student's exercises without
# touching them; a table, and STUDENT/results.json (Exercism v3) under --out.
grade_students() {
  local outdir="$ROOT/grades" dir folder student name nn log out first cell
  local folders=() students=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --out) [ $# -ge 2 ] || usage_error "--out needs a folder"; outdir="$2"; shift 2 ;;
      -*) usage_error "grade does not know the option '$1'" ;;
      *) folders+=("$1"); shift ;;
    esac
  done
  [ ${#folders[@]} -gt 0 ] || usage_error "usage: ./workbook grade [--out DIR] STUDENT_DIR..."
  # Every folder is checked before anything is built.
  for dir in "${folders[@]}"; do
    folder=$(exercises_folder "$dir")
    students+=("$folder")
  done
  ensure_configured
  log=$(mktemp)
  out=$(mktemp)
  build_quietly "$log" exercise-tests || { show_compiler_output "$log"; return 1; }
  mkdir -p "$outdir"
  printf '%-16s' "student"
  for name in "${LOOP_EXERCISES[@]}"; do printf ' | %-34s' "exercise $(exercise_number "$name")"; done
  echo
  for folder in "${students[@]}"; do
    student=$(basename "$folder")
    [ "$student" = "exercises" ] && student=$(basename "$(dirname "$folder")")
    rm -rf "$LOOP_BUILD/grade/sources" "$LOOP_BUILD/grade/programs"
    for name in "${LOOP_EXERCISES[@]}"; do
      nn="${name%%-*}"
      mkdir -p "$LOOP_BUILD/grade/sources/$name" "$LOOP_BUILD/grade/programs/$name"
      for file in $(exercise_work_files "solutions/$name"); do
        if [ -f "$folder/$name/$file" ]; then cp "$folder/$name/$file" "$LOOP_BUILD/grade/sources/$name/"; fi
      done
      if ! build_quietly "$log" "grade-$nn"; then
        grep -v -e '^\[[0-9]*/[0-9]*\] ' -e '^ninja: build stopped' "$log" \
          >"$LOOP_BUILD/grade/programs/$name/build-error.txt"
      fi
    done
    mkdir -p "$outdir/$student"
    EXERCISE_PROGRAMS="$ROOT/$LOOP_BUILD/grade/programs" \
      EXERCISE_SOURCES="$ROOT/$LOOP_BUILD/grade/sources" \
      EXERCISM_RESULTS="$outdir/$student/results.json" \
      "$LOOP_TESTS" --gtest_filter='Exercise*' --gtest_color=no >"$out" 2>&1 || true
    printf '%-16s' "$student"
    for name in "${LOOP_EXERCISES[@]}"; do
      nn="${name%%-*}"
      first=$(grep -m1 -o "^\[  FAILED  \] Exercise${nn}[A-Za-z]*\.[A-Za-z0-9_]* (" "$out" |
              sed -e 's/^\[  FAILED  \] //' -e 's/ ($//' -e 's/^[^.]*\.//' || true)
      if [ -f "$LOOP_BUILD/grade/programs/$name/build-error.txt" ]; then
        cell="does not build"
      elif [ -n "$first" ]; then
        cell="fail: $first"
      else
        cell="pass"
      fi
      printf ' | %-34s' "${cell:0:34}"
    done
    echo
  done
  rm -f "$log" "$out"
  echo
  echo "Results, one results.json per student (Exercism test runner format, version 3):" \
       "${outdir#"$ROOT"/}/STUDENT/results.json"
}
