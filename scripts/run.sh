#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds the `release` preset and runs `latencylab serve` with
# the bundled config on 127.0.0.1:8080 until Ctrl-C (which drains gracefully).
#
# Metrics go to stdout every 10 s: on a terminal as a compact summary per route
# (OTEL_METRICS_EXPORTER=summary), piped or redirected as JSON lines (console). An
# OTEL_METRICS_EXPORTER of your own wins (otlp with OTEL_EXPORTER_OTLP_* for a Collector;
# scripts/stack.sh up runs the whole stack instead).
#
#   ./scripts/run.sh                       # serve with config/latencylab.json
#   ./scripts/run.sh --time-scale 0.01     # extra arguments go to `latencylab serve`
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

"${repo_root}/scripts/setup.sh" build
cmake --preset release -DLATENCYLAB_BUILD_TESTS=OFF -DLATENCYLAB_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build --preset release --target latencylab

if [[ -z "${OTEL_METRICS_EXPORTER:-}" ]]; then
    if [[ -t 1 ]]; then export OTEL_METRICS_EXPORTER=summary; else export OTEL_METRICS_EXPORTER=console; fi
fi
export OTEL_METRIC_EXPORT_INTERVAL="${OTEL_METRIC_EXPORT_INTERVAL:-10000}"
exec "${repo_root}/build/release/src/app/latencylab" serve --config config/latencylab.json "$@"
