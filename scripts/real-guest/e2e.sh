#!/usr/bin/env bash
# Runs the real-guest end-to-end suite by hand (README "Real guest"): builds the guest if needed, then
# jest on test/e2e/real-guest. The suite starts its own private libvirtd and the service, and leaves
# nothing behind. Needs root, Redis on 127.0.0.1:6379 and the packages .ci/run installs.
#   scripts/real-guest/e2e.sh [jest options, e.g. -t 'NIC']
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/real-guest/guest.sh build
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js test/e2e/real-guest "$@"
