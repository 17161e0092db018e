# Shared by scripts/run.sh and scripts/test.sh: makes sure Node, pnpm, dependencies and the build are there.
# Sourced, not run: it leaves you in the repository root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PNPM_VERSION=10.34.8
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
step() { printf '\n==> %s\n' "$*"; }

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20 or newer is required: install it (apt-get install nodejs, or from your package manager) and run again." >&2
  exit 1
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js $(node -v) is too old: install Node.js 20 or newer and run again." >&2
  exit 1
fi
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  step "installing pnpm $PNPM_VERSION with npm"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi
step "installing dependencies (pnpm install)"
CI=true pnpm install --frozen-lockfile --reporter=append-only | grep -vE '^(Progress|Packages):' || true
step "building (pnpm build)"
pnpm build --output-logs=errors-only
