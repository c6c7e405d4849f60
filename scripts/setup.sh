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

updated=""
apt_update_once() { [[ -n "${updated}" ]] || { ${sudo} apt-get update -qq; updated=1; }; }
install() {
  apt_update_once
  DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#wanted[@]} Debian packages are installed" >&2
else
  echo "setup: installing ${missing[*]}" >&2
  install "${missing[@]}"
fi

[[ " ${groups[*]} " == *" test "* ]] || exit 0
problems=0

# The dashboard is built with npm (scripts/build-dashboard.sh). The nodejs package (and npm,
# unless it comes with it) is installed only where no Node is present (Debian's npm package
# conflicts with a Node installed otherwise) and only if apt's nodejs is as new as
# dashboard/package.json's `engines` (Debian 13's is, Debian 12's Node 18 is not: playwright-core
# needs 20); otherwise build-dashboard.sh --check says what to install. The C++ build and the
# unit and integration tests need no Node.
if ! command -v node >/dev/null; then
  wanted_node="$(sed -n 's/.*"node": *">=\([0-9]*\).*/\1/p' "${repo_root}/dashboard/package.json")"
  apt_update_once
  debian_node="$(apt-cache policy nodejs | sed -n 's/^ *Candidate: *\([0-9][0-9]*\).*/\1/p')"
  if (( ${debian_node:-0} >= wanted_node )); then
    echo "setup: no Node on the PATH; installing the nodejs package (${debian_node})" >&2
    install nodejs
    # Debian's nodejs comes without npm; a NodeSource nodejs has its own (and conflicts with Debian's).
    command -v npm >/dev/null || install npm
  else
    echo "setup: no Node on the PATH, and Debian's nodejs (${debian_node:-none}) is older than the dashboard's ${wanted_node}: not installing it" >&2
  fi
fi
"${repo_root}/scripts/build-dashboard.sh" --check 2>&1 | sed 's/^build-dashboard:/setup:/' >&2 || problems=1

if ! command -v go >/dev/null; then
  echo "setup: Go is not installed; the e2e tests build the OpenTelemetry Collector with it" >&2
  problems=1
fi
if ((problems)); then
  echo "setup: the e2e tests and the dashboard need what is missing above; building and the unit and integration tests do not" >&2
  exit 1
fi
