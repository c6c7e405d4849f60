#!/usr/bin/env bash
# Builds the latencylab OpenTelemetry Collector with the official builder (ocb)
# from config/otelcol-builder.yaml and prints the binary's absolute path on
# stdout (everything else goes to stderr), so callers can do:
#
#   otelcol="$(scripts/build-otelcol.sh)"
#   "$otelcol" validate --config config/otel-collector.yaml
#
# The result is cached under .tools/otelcol/<version>-<key>/ where <key> hashes
# the manifest and the Go version: editing the manifest (a version bump, a new
# component) or changing Go rebuilds, anything else reuses the binary. A lock
# makes concurrent callers (CI, the e2e test, a developer) build only once.
#
# Environment:
#   OTELCOL_TOOLS_DIR   cache root (default: <repo>/.tools)
#   OTELCOL_BUILD_JOBS  parallel compile jobs (default: 2, the machine's size)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
manifest="${repo_root}/config/otelcol-builder.yaml"
tools_dir="${OTELCOL_TOOLS_DIR:-${repo_root}/.tools}"
jobs="${OTELCOL_BUILD_JOBS:-2}"

log() { printf 'build-otelcol: %s\n' "$*" >&2; }

command -v go >/dev/null || { log "go is not installed (scripts/setup.sh installs it)"; exit 1; }

# dist.version in the manifest names the Collector core release train; the
# builder must come from the same train or it rejects the component versions.
version="$(sed -n 's/^  version: *\([0-9][0-9.]*\) *$/\1/p' "${manifest}")"
[[ -n "${version}" ]] || { log "no dist.version in ${manifest}"; exit 1; }
binary_name="$(sed -n 's/^  name: *\([A-Za-z0-9_.-]*\) *$/\1/p' "${manifest}" | head -n1)"

key="$( { cat "${manifest}"; go version; } | sha256sum | cut -c1-12)"
cache_dir="${tools_dir}/otelcol/${version}-${key}"
binary="${cache_dir}/${binary_name}"

mkdir -p "${tools_dir}/otelcol"
exec 9>"${tools_dir}/otelcol/.lock"
flock 9

if [[ -x "${binary}" ]]; then
    log "cached: ${binary}"
    printf '%s\n' "${binary}"
    exit 0
fi

log "building Collector ${version} (cache key ${key}); this takes several minutes"
started=${SECONDS}
work_dir="${cache_dir}.work"
rm -rf "${work_dir}"
mkdir -p "${work_dir}/bin"

GOBIN="${work_dir}/bin" go install "go.opentelemetry.io/collector/cmd/builder@v${version}"

# The builder takes the output path only from the manifest: build from a copy
# that points it at the private work directory.
sed "s|^  output_path: .*|  output_path: ${work_dir}/src|" "${manifest}" >"${work_dir}/manifest.yaml"

# nice: the build saturates the CPU and the machine is shared with test runs.
# -s -w: the debug tables are half the binary and nobody debugs the Collector here.
GOFLAGS="-mod=mod -p=${jobs}" nice -n 10 "${work_dir}/bin/builder" \
    --config "${work_dir}/manifest.yaml" --ldflags "-s -w" >&2

mkdir -p "${cache_dir}"
# Move the binary into place last so an interrupted build is never taken as cached.
mv "${work_dir}/src/${binary_name}" "${binary}.tmp"
mv "${binary}.tmp" "${binary}"
rm -rf "${work_dir}"
log "built in $((SECONDS - started)) s: ${binary}"
printf '%s\n' "${binary}"
