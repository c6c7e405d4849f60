#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with the `fuzz` preset (Clang 16, ASan + UBSan) and runs
# each for SECONDS on its seed corpus. Nothing here touches the network. docs/FUZZING.md has the
# targets and the results of past runs.
#
#   scripts/fuzz.sh                   # every target, 60 s each
#   scripts/fuzz.sh scenario 300      # one target for 5 minutes
#   scripts/fuzz.sh all 120           # every target, 2 minutes each
#
# Inputs libFuzzer finds go to build/fuzz/corpus/<target>/ (fuzz/corpus/<target>/ holds the
# committed seeds and is only read), crashes to build/fuzz/artifacts/<target>/, the full log to
# build/fuzz/logs/<target>.log. The exit status is non-zero when a target crashed; reproduce with
# build/fuzz/fuzz/<target>_fuzzer <artifact>, then add the file to fuzz/corpus/<target>/ so the
# replay test in every ordinary test build keeps checking it.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

all_targets=(http_request json_body config_file graph_file scenario target_url response_reader)
target="${1:-all}"
seconds="${2:-60}"
if [[ "${target}" == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" ${target} "* ]]; then
  targets=("${target}")
else
  echo "fuzz: unknown target '${target}' (${all_targets[*]} or all)" >&2
  exit 2
fi

"${repo_root}/scripts/setup.sh" build fuzz
cmake --preset fuzz >/dev/null
# At most two jobs: the fuzz build shares the machine with other builds.
cmake --build --preset fuzz -j2 --target "${targets[@]/%/_fuzzer}"

build_dir="${repo_root}/build/fuzz"
# Symbolized stack traces in crash reports: any installed llvm-symbolizer reads Clang 16's output.
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]] && command -v llvm-symbolizer >/dev/null; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer)"
fi
failed=()
for name in "${targets[@]}"; do
  mkdir -p "${build_dir}/corpus/${name}" "${build_dir}/artifacts/${name}" "${build_dir}/logs"
  log="${build_dir}/logs/${name}.log"
  echo "fuzz: ${name} for ${seconds} s (log ${log})" >&2
  status=0
  "${build_dir}/fuzz/${name}_fuzzer" -max_total_time="${seconds}" -print_final_stats=1 \
    -artifact_prefix="${build_dir}/artifacts/${name}/" \
    "${build_dir}/corpus/${name}" "${repo_root}/fuzz/corpus/${name}" >"${log}" 2>&1 || status=$?
  # The last status line ("#N DONE cov: ... exec/s: E") and the final stats carry the figures.
  grep -E '^#[0-9]+' "${log}" | tail -n 1 >&2 || true
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "${log}" >&2 || true
  if ((status != 0)); then
    echo "fuzz: ${name} FAILED (exit ${status}); see ${log} and ${build_dir}/artifacts/${name}/" >&2
    failed+=("${name}")
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} target(s) ran ${seconds} s each without a finding" >&2
