#!/usr/bin/env bash
# Runs every test: type check, then jest (unit, contract, integration). Tests that need PostgreSQL
# fail, not skip, when CI=true and it is unreachable.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "virtplane: type checking..."
npx tsc -p tsconfig.json --noEmit
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js --maxWorkers=2 "$@"
