#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds latencylab with the `dev` preset (Debug, ASan+UBSan)
# and runs every test: unit, integration and e2e (the native stack with a real OpenTelemetry
# Collector per data plane, Prometheus and the dashboard in headless Chromium). The closing
# ctest line says what passed.
#
#   ./scripts/test.sh                 # everything
#   ./scripts/test.sh -L unit         # extra arguments go to ctest
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

"${repo_root}/scripts/setup.sh"

# Built before the C++ so a missing Go or npm module shows up early; cached under .tools/
# afterwards. The C++ build itself needs neither.
"${repo_root}/scripts/build-otelcol.sh" >/dev/null
"${repo_root}/scripts/build-dashboard.sh" >/dev/null

cmake --preset dev
cmake --build --preset dev
ctest --preset dev "$@"
