#!/usr/bin/env bash
# Reproduces every table in docs/BENCHMARKS.md: the Google Benchmark micro benchmarks, the
# callgrind instruction count of the request guard, and the end-to-end comparisons
# (scripts/bench/e2e.py): latencylab vs a bare Beast server, vs the seed's Go design, saturation
# with real 3-5 s requests, export cost, and `latencylab load` vs wrk.
#
#   scripts/bench.sh                      # everything (about 15 minutes)
#   scripts/bench.sh --quick              # smoke run: short, small N (about 3 minutes)
#   scripts/bench.sh --only overhead,loadgen   # e2e sections: overhead seedgo saturation export loadgen graph
#   scripts/bench.sh --micro-only         # only the micro benchmarks
#   scripts/bench.sh --only graph --parent 3c0a6d7   # service graphs: instructions per request vs
#                                         # the parent rev (built in $BUILD_DIR/parent-REV from a
#                                         # detached worktree), memory per request parked on a step
#
# Environment: BUILD_DIR (default build/release, configured RelWithDebInfo without sanitizers),
# BENCH_OUT (default $BUILD_DIR/bench-results). Results: $BENCH_OUT/micro.md, $BENCH_OUT/results.md
# and the raw logs beside them.
#
# Needs 2 cores (servers are pinned to core 0, load generators to core 1). Everything runs on
# 127.0.0.1; every process this script starts is stopped when it exits, however it exits.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"
build_dir="${BUILD_DIR:-build/release}"
out="${BENCH_OUT:-${build_dir}/bench-results}"

quick=""
only=""
parent=""
micro=1
e2e=1
while (($#)); do
  case "$1" in
    --quick) quick="--quick" ;;
    --only) only="$2"; micro=0; shift ;;
    --micro-only) e2e=0 ;;
    --parent) parent="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf 'bench: %s\n' "$*" >&2; }

# Stop whatever is still running (e2e.py stops its own children on TERM; this catches the rest).
children=()
cleanup() {
  local pid
  for pid in "${children[@]}"; do kill -TERM "${pid}" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "${pid}" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(($(nproc) >= 2)) || { log "needs at least 2 cores (server and load pinned apart)"; exit 1; }

scripts/setup.sh build test bench
cmake -S . -B "${build_dir}" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLATENCYLAB_SANITIZERS= -DLATENCYLAB_BUILD_BENCHMARKS=ON >/dev/null
micro_targets=(telemetry_request_guard_benchmark telemetry_instruments_benchmark
  telemetry_request_guard_instructions otlp_encoder_benchmark telemetry_collect_benchmark
  loadgen_request_path_benchmark
  http_router_benchmark handlers_validation_benchmark sim_latency_model_benchmark
  db_pool_benchmark graph_steps_benchmark graph_steps_instructions)
cmake --build "${build_dir}" -j2 --target latencylab bare_beast_server "${micro_targets[@]}"
mkdir -p "${out}"

if ((micro)); then
  log "micro benchmarks (3 repetitions each, aggregates) -> ${out}/micro.md"
  {
    echo "## Micro benchmarks ($(date -u +%F), $(lscpu | sed -n 's/^Model name: *//p'))"
    echo
    for target in "${micro_targets[@]}"; do
      [[ "${target}" == *_instructions ]] && continue
      echo "### ${target}"
      echo
      echo '```'
      taskset -c 1 "${build_dir}/bench/${target}" --benchmark_repetitions=3 \
        --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '^(BM_|-|Benchmark)'
      echo '```'
      echo
    done
    echo "### request guard instructions (callgrind, 100000 requests per clock)"
    echo
    for clock in fixed fast steady; do
      valgrind --tool=callgrind --toggle-collect='latencylab::bench::run_requests*' \
        --callgrind-out-file="${out}/callgrind-${clock}.out" \
        "${build_dir}/bench/telemetry_request_guard_instructions" 100000 "${clock}" 2>&1 |
        sed -n "s/.*Collected : \([0-9]*\).*/${clock}: Ir \1 (per request: Ir \/ 100000)/p"
    done
    echo
    echo "### graph step instructions (callgrind, 10000 requests per step kind; minus empty = per step)"
    echo
    for kind in empty delay fail cache_hit cpu validate_search db parallel; do
      valgrind --tool=callgrind --toggle-collect='latencylab::bench::run_requests*' \
        --callgrind-out-file="${out}/callgrind-step-${kind}.out" \
        "${build_dir}/bench/graph_steps_instructions" 10000 "${kind}" 2>&1 |
        sed -n "s/.*Collected : \([0-9]*\).*/${kind}: Ir \1 (per request: Ir \/ 10000)/p"
    done
  } | tee "${out}/micro.md"
fi

if ((e2e)); then
  otelcol=none
  if [[ "${only}" != graph ]]; then
    log "building the seed's Go peer (bench/peers/seedgo) and the Collector"
    (cd bench/peers/seedgo && go build -o "${repo_root}/${build_dir}/seedgo" .)
    otelcol="$(scripts/build-otelcol.sh)"
  fi
  args=(--bin-dir "${build_dir}" --seedgo "${build_dir}/seedgo" --otelcol "${otelcol}"
    --out "${out}")
  if [[ -n "${parent}" ]]; then
    # The parent rev's latencylab, same flags as this build, from a detached worktree.
    parent_rev="$(git rev-parse --short "${parent}^{commit}")"
    parent_dir="${build_dir}/parent-${parent_rev}"
    [[ -d "${parent_dir}/src" ]] || git worktree add --detach "${parent_dir}/src" "${parent_rev}" >&2
    log "building the parent ${parent_rev} in ${parent_dir}/build"
    cmake -S "${parent_dir}/src" -B "${parent_dir}/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLATENCYLAB_SANITIZERS= -DLATENCYLAB_BUILD_BENCHMARKS=OFF >/dev/null
    cmake --build "${parent_dir}/build" -j2 --target latencylab
    args+=(--parent-bin-dir "${parent_dir}/build" --parent-rev "${parent_rev}")
  fi
  [[ -n "${quick}" ]] && args+=("${quick}")
  [[ -n "${only}" ]] && args+=(--only "${only}")
  {
    echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(uname -r)," \
      "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
  } >"${out}/machine.txt"
  log "$(cat "${out}/machine.txt")"
  # Bounded: the whole end-to-end run is stopped after 40 minutes whatever happens.
  timeout --signal=TERM --kill-after=30s 40m python3 scripts/bench/e2e.py "${args[@]}" &
  children+=("$!")
  wait "$!"
  log "end-to-end tables: ${out}/results.md"
fi
