#!/usr/bin/env bash
# pnpm mutation [stryker options]: mutation testing of the pure cores (stryker.config.mjs), then
# the score of each file. Incremental: only mutants of changed source files are tested again;
# after changing only tests, pass --force to test every mutant again (about 2.5 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 10 pnpm exec stryker run "$@"
node scripts/mutation-scores.mjs
