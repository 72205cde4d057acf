#!/usr/bin/env bash
# Runs the benchmarks in bench/ (compiled with swc, like the service). Arguments go to bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
npx swc src bench -d dist --quiet
exec node --expose-gc --enable-source-maps dist/bench/run.js "$@"
