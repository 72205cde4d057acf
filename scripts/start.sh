#!/usr/bin/env bash
# Starts the service on its embedded default (SQLite under ./data) unless configured otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx swc src -d dist --quiet
exec node --enable-source-maps dist/src/main.js
