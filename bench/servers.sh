# Starting and stopping poetry servers from bash, for the benchmarks (bench/run).
# Source it; it defines functions only. The front end and the docs build
# start theirs with frontend/servers.py.

SERVER_PIDS=()
SERVER_LOGS=()
SERVER_PORT=

# start_server PROGRAM POEM [FLAGS...]: starts a poetry server (slowpoetry or
# fastpoetry) on a free port and, once the server has said it, sets
# SERVER_PORT. Call it directly, not inside $(...): a subshell would forget
# the server, and stop_servers could not stop it.
start_server() {
  local program="$1" poem="$2"
  shift 2
  local log
  log=$(mktemp)
  "$program" "$@" "$poem" >"$log" 2>&1 &
  SERVER_PIDS+=($!)
  SERVER_LOGS+=("$log")
  local tries
  for tries in $(seq 100); do
    if grep -q '^Serving ' "$log"; then
      SERVER_PORT=$(sed -n 's/^Serving .* on port \([0-9]*\)\.$/\1/p' "$log")
      return 0
    fi
    sleep 0.1
  done
  echo "$program did not start: $(cat "$log")" >&2
  return 1
}

# stop_servers: stops every server start_server started.
stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "${SERVER_LOGS[@]}"
  SERVER_PIDS=()
  SERVER_LOGS=()
}
