#!/usr/bin/env bash
# Makes this clone ready: Node 22/24, Yarn 4, dependencies (immutable lockfile) and, for the browser
# tests, Debian's Chromium. Idempotent and quick when everything is already there.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
kaito_env
cd "$KAITO_ROOT"

# Install only when the lockfile or a manifest changed since the last successful install.
stamp="node_modules/.kaito-install-stamp"
want=$( (node -v; cat yarn.lock package.json packages/*/package.json plugins/*/package.json) | sha1sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: yarn install --immutable" >&2
  yarn install --immutable
  echo "$want" > "$stamp"
fi

if [ "${KAITO_SKIP_CHROMIUM:-}" != 1 ] && [ "${1:-}" = "--with-browser" ]; then
  if [ -z "$(command -v chromium || true)" ] && [ -z "${KAITO_CHROMIUM:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "bootstrap: installing Debian chromium for the browser tests" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    else
      kaito_die "browser tests need Chromium: install it (apt-get install chromium) or set KAITO_CHROMIUM=/path/to/chromium"
    fi
  fi
fi
