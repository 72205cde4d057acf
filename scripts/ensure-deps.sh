#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json, so the README's
# two commands work on a fresh clone. A hash of the lock file marks what node_modules was built from.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.virtplane-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "virtplane: installing npm dependencies..." >&2
# `npm install` rather than `npm ci`: the registry mirror lacks some other-platform optional packages
# (e.g. @swc/core-darwin-arm64), which `npm ci` insists on finding in the lock file.
npm install --no-audit --no-fund --loglevel=error >&2
echo "$want" > "$stamp"
