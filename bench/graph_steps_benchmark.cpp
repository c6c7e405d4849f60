// Per-step cost of the step engine (src/graph): each benchmark runs one request through a route
// whose script is a single step at zero latency, on an io_context without sockets; BM_Step/empty
// is the route with no steps, so a step's cost is its figure minus the empty script's. The
// instructions of the same requests: graph_steps_instructions under callgrind.
//
//   build/release/bench/graph_steps_benchmark   (sanitizer builds: figures meaningless)
#include <benchmark/benchmark.h>

#include "graph_steps.hpp"

namespace latencylab::bench {
namespace {

void BM_Step(benchmark::State& state) {
  const StepRoute& route = kStepRoutes[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(std::string(route.name));
  StepRoutes routes;
  for (auto _ : state) {
    const unsigned status = routes.run(route.kind);
    if (status != 200) state.SkipWithError("the route did not answer 200");
    benchmark::DoNotOptimize(status);
  }
}
BENCHMARK(BM_Step)->DenseRange(0, kStepRoutes.size() - 1);

}  // namespace
}  // namespace latencylab::bench
