#!/usr/bin/env bash
# The test command: sets the clone up, then lint, format check, type-check, every package's unit
# and integration tests, and the browser end-to-end tests. `.ci/run` calls exactly this.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/bootstrap.sh" --with-browser
. "$here/env.sh"
kaito_env
cd "$KAITO_ROOT"

step() { printf '\n=== %s\n' "$*"; }
step "lint";         yarn backstage-cli repo lint
step "format";       yarn prettier --check --loglevel warn .
step "type-check";   yarn tsc
step "unit + integration tests"
CI=true yarn backstage-cli repo test --maxWorkers=2
step "browser end-to-end tests"
"$here/e2e.sh"
printf '\nall tests passed\n'
