#!/usr/bin/env bash
# Installs the Debian packages latencylab needs, idempotently: nothing is downloaded when
# everything is already installed, and `apt-get update` runs at most once.
#
#   scripts/setup.sh            # build + test dependencies
#   scripts/setup.sh build      # only what building the binary needs
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
groups=("${@:-build test}")
groups=(${groups[*]})

wanted=()
for group in "${groups[@]}"; do
  list="${repo_root}/scripts/packages/${group}.txt"
  [[ -f "${list}" ]] || { echo "setup: no package list ${list}" >&2; exit 2; }
  while read -r package; do wanted+=("${package}"); done < <(grep -v -e '^#' -e '^$' "${list}")
done

sudo=""
[[ "$(id -u)" == 0 ]] || sudo="sudo"

missing=()
for package in "${wanted[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "${package}" 2>/dev/null || true)"
  [[ "${status}" == "install ok installed" ]] || missing+=("${package}")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#wanted[@]} Debian packages are installed" >&2
else
  echo "setup: installing ${missing[*]}" >&2
  ${sudo} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# The dashboard is built with npm (scripts/build-dashboard.sh). Debian's nodejs package is
# installed only where no Node is present (its npm package conflicts with a Node installed
# otherwise); Debian 13's is new enough, Debian 12's Node 18 is older than the `engines` of
# dashboard/package.json (playwright-core needs 20), which the check below reports.
if [[ " ${groups[*]} " == *" test "* ]]; then
  if ! command -v node >/dev/null; then
    echo "setup: no Node; installing Debian's nodejs and npm" >&2
    DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  wanted_node="$(sed -n 's/.*"node": *">=\([0-9]*\).*/\1/p' "${repo_root}/dashboard/package.json")"
  if (( $(node -p 'process.versions.node.split(".")[0]') < wanted_node )); then
    echo "setup: Node $(node --version) is older than the dashboard needs (>= ${wanted_node}, dashboard/package.json)" >&2
    exit 1
  fi
fi

if [[ " ${groups[*]} " == *" test "* ]] && ! command -v go >/dev/null; then
  echo "setup: Go is not installed; the e2e tests build the OpenTelemetry Collector with it" >&2
  exit 1
fi
