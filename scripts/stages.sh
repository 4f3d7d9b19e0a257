# The stage programs a trace can be taken of, and taking one, for
# `./workbook trace` and the docs' figures (docs/record-figures.sh). Source
# it after servers.sh; it defines functions only.

# Each stage: its folder, its CMake target, its program under the build dir.
STAGES=(
  "part04-client1 part04-get-poetry part04-client1/get-poetry"
  "part04-client1-stack part04-get-poetry-stack part04-client1-stack/get-poetry-stack"
  "part05-client2 part05-get-poetry part05-client2/get-poetry"
  "part05-client2-simple get-poetry-simple part05-client2-simple/get-poetry-simple"
  "part05-client2-stack get-poetry-stack part05-client2-stack/get-poetry-stack"
)
for _dir in solutions/0[1-9]-* exercises/0[1-9]-*; do
  [ -d "$_dir" ] || continue
  STAGES+=("$_dir ${_dir%%s/*}-${_dir#*/} $_dir/get-poetry")
done
unset _dir

# stage_field STAGE N: field N (2 target, 3 program) of STAGE; fails if no
# such stage.
stage_field() {
  local entry fields
  for entry in "${STAGES[@]}"; do
    read -r -a fields <<<"$entry"
    if [ "${fields[0]}" = "$1" ] || [ "${fields[0]}/" = "$1" ]; then
      echo "${fields[$(($2 - 1))]}"
      return 0
    fi
  done
  return 1
}

# list_stages: one stage a line.
list_stages() {
  local entry
  for entry in "${STAGES[@]}"; do echo "  ${entry%% *}"; done
}

# record_run BUILD_DIR STAGE TRACE.json POEM...: serves each poem on a fresh
# slow server (0.05 s between 40-byte chunks), runs STAGE's program against
# them with REACTOR_TRACE=TRACE.json, and stops the servers. The program's
# output goes to TRACE.json's name with .log for .json. Its exit status is
# the program's.
record_run() {
  local build="$1" stage="$2" trace="$3"
  shift 3
  local program ports=() poem status=0
  program="$build/$(stage_field "$stage" 3)"
  for poem in "$@"; do
    start_server "$build/poetry-server/slowpoetry" "$poem" --delay 0.05 --num-bytes 40
    ports+=("$SERVER_PORT")
  done
  REACTOR_TRACE="$trace" "$program" "${ports[@]}" >"${trace%.json}.log" 2>&1 || status=$?
  stop_servers
  return "$status"
}
