#!/usr/bin/env bash
# Stops the services and the local infrastructure that scripts/run.sh started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh stop
pnpm --silent infra down
