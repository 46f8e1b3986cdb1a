# Sourced: start background services in their own process groups and stop exactly those on exit,
# so a caller's process group (a CI runner, a parent script) is never signalled.
KAITO_PGIDS=()
kaito_spawn() { # <log file or -> <command...>; sets KAITO_LAST_PID
  local log="$1"; shift
  if [ "$log" = - ]; then setsid "$@" & else setsid "$@" >"$log" 2>&1 & fi
  KAITO_LAST_PID=$!
  KAITO_PGIDS+=("$KAITO_LAST_PID")
}
kaito_stop_all() {
  local pgid
  for pgid in "${KAITO_PGIDS[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  sleep 1
  for pgid in "${KAITO_PGIDS[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
}
trap 'kaito_stop_all' EXIT
trap 'exit 130' INT TERM
