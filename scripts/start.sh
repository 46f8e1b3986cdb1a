#!/usr/bin/env bash
# Starts the portal with the embedded defaults: the local KAITO simulator (Kubernetes API + KAITO
# controller + inference server), the backend on :7007 and the frontend dev server on :3000.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/ports.sh"
export KAITO_APP_PORT="${KAITO_APP_PORT:-3000}"
export KAITO_BACKEND_PORT="${KAITO_BACKEND_PORT:-7007}"
export KAITO_SIMULATOR_PORT="${KAITO_SIMULATOR_PORT:-7100}"
# The simulator's Azure Resource Manager + Entra token endpoint (HTTPS), for the kaito:aks:create
# and kaito:quota:check actions (app-config.yaml kaito.azure points here).
export KAITO_SIMULATOR_ARM_PORT="${KAITO_SIMULATOR_ARM_PORT:-7101}"
# Check ports before the (possibly slow) setup so a clash fails at once.
kaito_require_port "$KAITO_APP_PORT" KAITO_APP_PORT
kaito_require_port "$KAITO_BACKEND_PORT" KAITO_BACKEND_PORT
kaito_require_port "$KAITO_SIMULATOR_PORT" KAITO_SIMULATOR_PORT
kaito_require_port "$KAITO_SIMULATOR_ARM_PORT" KAITO_SIMULATOR_ARM_PORT

"$here/bootstrap.sh"
. "$here/env.sh"
kaito_env
cd "$KAITO_ROOT"
# The ARM certificate is minted per run; the backend trusts the one this run writes.
export KAITO_SIMULATOR_ARM_CA_FILE="${KAITO_SIMULATOR_ARM_CA_FILE:-$KAITO_ROOT/.tools/run/kaito-simulator-arm-ca.pem}"
rm -f "$KAITO_SIMULATOR_ARM_CA_FILE"

. "$here/procs.sh"
# Ctrl-C or a failure stops the simulator and both dev servers together.
kaito_spawn - yarn workspace @kaito-backstage/kaito-simulator start
sim=$KAITO_LAST_PID
for _ in $(seq 1 120); do
  { kaito_port_free "$KAITO_SIMULATOR_PORT" || kaito_port_free "$KAITO_SIMULATOR_ARM_PORT" || [ ! -s "$KAITO_SIMULATOR_ARM_CA_FILE" ]; } || break
  kill -0 "$sim" 2>/dev/null || { echo "error: the KAITO simulator did not start (see above)" >&2; exit 1; }
  sleep 0.5
done
kaito_spawn - yarn start
wait "$KAITO_LAST_PID"
