#!/usr/bin/env bash
# Builds the control-plane dashboard (dashboard/: React + ECharts, Vite) and
# prints the directory of the built files on stdout (everything else goes to
# stderr), so callers can do:
#
#   dist="$(scripts/build-dashboard.sh)"
#
# Needs Node and npm only (dashboard/package.json `engines`); the C++ build
# never calls this. `scripts/build-dashboard.sh --check` only checks that they
# are there and new enough, saying what is missing (scripts/setup.sh runs it). The result is cached under .tools/dashboard/<key>/dist where
# <key> hashes the dashboard's sources, its lockfile, the shared query file and
# the Node version: anything else reuses the build. `npm ci` runs only when
# the lockfile changed since the last install. A lock makes concurrent callers
# build once.
#
# Environment:
#   DASHBOARD_TOOLS_DIR   cache root (default: <repo>/.tools)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app_dir="${repo_root}/dashboard"
tools_dir="${DASHBOARD_TOOLS_DIR:-${repo_root}/.tools}"

log() { printf 'build-dashboard: %s\n' "$*" >&2; }

# Node and npm as `engines` asks, or a message that says which is missing and what to do.
wanted_node="$(sed -n 's/.*"node": *">=\([0-9]*\).*/\1/p' "${app_dir}/package.json")"
install_hint="install Node ${wanted_node} or newer with npm (the release tarball from nodejs.org, or NodeSource's nodejs package; Debian 13's nodejs and npm packages are new enough, Debian 12's Node 18 is not)"
command -v node >/dev/null || { log "no node on the PATH: ${install_hint}"; exit 1; }
if (( $(node -p 'process.versions.node.split(".")[0]') < wanted_node )); then
    log "Node $(node --version) ($(command -v node)) is older than the dashboard needs (>= ${wanted_node}, dashboard/package.json engines): ${install_hint}"
    exit 1
fi
command -v npm >/dev/null || { log "Node $(node --version) ($(command -v node)) has no npm beside it: ${install_hint}"; exit 1; }
[[ "${1:-}" != --check ]] || exit 0

# The sources Vite reads: git's view of dashboard/ (tracked and untracked, not
# ignored; not the browser test) plus the PromQL file it imports.
# Outside a git checkout (an unpacked archive): every file but node_modules.
sources() {
    cd "${repo_root}"
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -co --exclude-standard -- dashboard ':!dashboard/e2e' config/dashboard-queries.json
    else
        find dashboard config/dashboard-queries.json -path dashboard/node_modules -prune -o \
            -path dashboard/e2e -prune -o -type f -print
    fi | LC_ALL=C sort
}
key="$( { sources | while read -r f; do printf '%s\n' "${f}"; cat "${repo_root}/${f}"; done; node --version; } |
        sha256sum | cut -c1-12)"
cache_dir="${tools_dir}/dashboard/${key}"

mkdir -p "${tools_dir}/dashboard"
exec 9>"${tools_dir}/dashboard/.lock"
flock 9

if [[ -f "${cache_dir}/dist/index.html" ]]; then
    log "cached: ${cache_dir}/dist"
    printf '%s\n' "${cache_dir}/dist"
    exit 0
fi

lock_sum="$(sha256sum "${app_dir}/package-lock.json" | cut -c1-64)"
stamp="${app_dir}/node_modules/.installed-from-lock"
if [[ "$(cat "${stamp}" 2>/dev/null)" != "${lock_sum}" ]]; then
    log "npm ci (dashboard/package-lock.json changed or first build)"
    (cd "${app_dir}" && nice npm ci --no-audit --no-fund --loglevel=error >&2)
    printf '%s\n' "${lock_sum}" >"${stamp}"
fi

log "building the dashboard (cache key ${key})"
rm -rf "${cache_dir}"
(cd "${app_dir}" && nice npx --no-install vite build --logLevel warn --outDir "${cache_dir}/dist.tmp" --emptyOutDir >&2)
# Move into place last so an interrupted build is never taken as cached.
mv "${cache_dir}/dist.tmp" "${cache_dir}/dist"
# Keep the three newest builds (a running stack may still serve an older one).
ls -1dt "${tools_dir}/dashboard"/*/ | tail -n +4 | xargs -r rm -rf
log "built: ${cache_dir}/dist"
printf '%s\n' "${cache_dir}/dist"
