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

missing=()
for package in "${wanted[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "${package}" 2>/dev/null || true)"
  [[ "${status}" == "install ok installed" ]] || missing+=("${package}")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#wanted[@]} Debian packages are installed" >&2
else
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  ${sudo} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [[ " ${groups[*]} " == *" test "* ]] && ! command -v go >/dev/null; then
  echo "setup: Go is not installed; the e2e tests build the OpenTelemetry Collector with it" >&2
  exit 1
fi
