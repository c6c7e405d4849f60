#!/usr/bin/env bash
# Refreshes the dashboard screenshots in docs/screenshots/ from the ones the browser tests took in
# their last run (tests/e2e/stack_e2e.py -> dashboard/e2e/browser.mjs, and report.mjs for the load
# run's --report page), running that test first when the build directory has none.
#
#   scripts/update-screenshots.sh              # from build/dev (the `dev` preset)
#   scripts/update-screenshots.sh build/tsan   # from another build directory
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$(cd "${repo_root}" && realpath "${1:-build/dev}")"
shots="${build_dir}/tests/e2e/stack_e2e/screenshots"

if [[ ! -f "${shots}/metrics.png" ]]; then
    echo "update-screenshots: none in ${shots}; running the e2e test" >&2
    (cd "${build_dir}" && ctest -R '^stack_e2e$' --output-on-failure)
fi
mkdir -p "${repo_root}/docs/screenshots"
for page in landing metrics status slo load-report; do
    cp "${shots}/${page}.png" "${repo_root}/docs/screenshots/${page}.png"
done
echo "update-screenshots: docs/screenshots/ updated from ${shots}" >&2
