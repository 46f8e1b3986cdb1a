#!/usr/bin/env bash
# Browser end-to-end tests: builds the app and backend, starts the simulator and the backend (which
# serves the built app), waits for health, runs Playwright on Debian's Chromium, and stops everything.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/env.sh"
. "$here/ports.sh"
. "$here/procs.sh"
kaito_env
cd "$KAITO_ROOT"

export KAITO_BACKEND_PORT="${KAITO_E2E_BACKEND_PORT:-7017}"
export KAITO_SIMULATOR_PORT="${KAITO_E2E_SIMULATOR_PORT:-7117}"
export KAITO_SIMULATOR_ARM_PORT="${KAITO_E2E_SIMULATOR_ARM_PORT:-7118}"
# A second simulated cluster playing KAITO v0.8 (app-config.e2e.yaml names it kaito-simulator-v08).
export KAITO_SIMULATOR_V08_PORT="${KAITO_E2E_SIMULATOR_V08_PORT:-7119}"
export KAITO_SIMULATOR_ARM_CA_FILE="$KAITO_ROOT/.tools/run/kaito-simulator-arm-ca.e2e.pem"
rm -f "$KAITO_SIMULATOR_ARM_CA_FILE"
kaito_require_port "$KAITO_BACKEND_PORT" KAITO_E2E_BACKEND_PORT
kaito_require_port "$KAITO_SIMULATOR_PORT" KAITO_E2E_SIMULATOR_PORT
kaito_require_port "$KAITO_SIMULATOR_ARM_PORT" KAITO_E2E_SIMULATOR_ARM_PORT
kaito_require_port "$KAITO_SIMULATOR_V08_PORT" KAITO_E2E_SIMULATOR_V08_PORT

echo "e2e: building app and backend"
yarn build:backend >/dev/null

logs="$KAITO_ROOT/e2e-test-report"; mkdir -p "$logs"
# The journey spec's second workspace runs short of GPU quota (packages/app/e2e-tests/journey.test.ts).
journey_faults='{"kaito-journey/short-on-quota": "quotaExceeded"}'
export KAITO_SIMULATOR_FAULTS="${KAITO_SIMULATOR_FAULTS:-$journey_faults}"
kaito_spawn "$logs/simulator.log" yarn workspace @kaito-backstage/kaito-simulator start
# The v0.8 cluster: no ARM, no scripted faults (the readiness spec annotates its Workspaces), and
# no demo Workspace (the workspaces page would list a second kaito-demo/phi-4-mini).
kaito_spawn "$logs/simulator-v08.log" env -u KAITO_SIMULATOR_ARM_PORT KAITO_SIMULATOR_PORT="$KAITO_SIMULATOR_V08_PORT" \
  KAITO_SIMULATOR_FAULTS= KAITO_SIMULATOR_SEED=none KAITO_SIMULATOR_CONTROLLER_VERSION=0.8.0 yarn workspace @kaito-backstage/kaito-simulator start
# The backend reads the simulator's ARM certificate at start (kaito.azure.tls.caFile).
for _ in $(seq 1 120); do [ -s "$KAITO_SIMULATOR_ARM_CA_FILE" ] && break; sleep 0.5; done
# The backend serves the built app itself, so the app's base URL is the backend's.
export APP_CONFIG_app_baseUrl="http://localhost:$KAITO_BACKEND_PORT"
# Plain node with Backstage's TypeScript transform, not `backstage-cli package start`: the dev start
# watches the sources and restarts the backend mid-test when anything in the tree changes.
kaito_spawn "$logs/backend.log" bash -c "cd '$KAITO_ROOT/packages/backend' && NODE_ENV=development exec node --enable-source-maps --require '$KAITO_ROOT/node_modules/@backstage/cli-node/config/nodeTransform.cjs' src/index --config ../../app-config.yaml --config ../../app-config.e2e.yaml"
backend=$KAITO_LAST_PID

base="http://localhost:$KAITO_BACKEND_PORT"
echo "e2e: waiting for $base"
for i in $(seq 1 180); do
  if curl -fsS "$base/.backstage/health/v1/readiness" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$backend" 2>/dev/null; then
    echo "error: the backend exited before it was ready; last lines of $logs/backend.log:" >&2
    tail -n 30 "$logs/backend.log" >&2; exit 1
  fi
  [ "$i" = 180 ] && { echo "error: backend not ready after 180 s; see $logs/backend.log" >&2; exit 1; }
  sleep 1
done

# Extra arguments go to Playwright, e.g. `scripts/e2e.sh packages/app/e2e-tests/chat.test.ts`.
CI=true PLAYWRIGHT_URL="$base" yarn playwright test "$@"
