// Callgrind driver for the per-step cost: runs N requests through the route of one step kind
// (bench/graph_steps.hpp) inside run_requests(), so `--toggle-collect` counts exactly those.
//
//   valgrind --tool=callgrind --toggle-collect='latencylab::bench::run_requests*'
//            build/release/bench/graph_steps_instructions 10000 delay
//   # "Collected : <Ir>" / 10000 = per request; minus the `empty` route's = per step
//
// Second argument: a step kind of kStepRoutes (empty, delay, fail, cache_hit, cpu,
// validate_search, db, parallel).
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "graph_steps.hpp"

namespace latencylab::bench {

[[gnu::noinline]] unsigned run_requests(StepRoutes& routes, StepKind kind, std::size_t n) {
  unsigned failed = 0;
  for (std::size_t i = 0; i < n; ++i) failed += routes.run(kind) == 200 ? 0 : 1;
  return failed;
}

}  // namespace latencylab::bench

int main(int argc, char** argv) {
  using namespace latencylab::bench;
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000;
  const std::string_view name = argc > 2 ? argv[2] : "empty";
  for (const StepRoute& route : kStepRoutes) {
    if (route.name != name) continue;
    StepRoutes routes;
    routes.run(route.kind);  // warm-up: lazily created series, first allocations
    const unsigned failed = run_requests(routes, route.kind, n);
    std::printf("%zu requests through %s, %u not 200\n", n, route.target.data(), failed);
    return failed == 0 ? 0 : 1;
  }
  std::fprintf(stderr, "unknown step kind %s\n", argv[2]);
  return 2;
}
