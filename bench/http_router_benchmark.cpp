// Cost of one route lookup in the service's real route table: Router::match over the paths a
// storefront sees (static routes, the parameterised /api/orders/{id}, a 405 and a 404), rotating
// so the branch predictor cannot learn a single answer. The router promises no allocation and no
// hashing; the figure is what every request pays before its handler runs.
//
//   build/<dir>/bench/http_router_benchmark
#include <benchmark/benchmark.h>

#include <array>
#include <string_view>

#include "http/router.hpp"

namespace latencylab::http {
namespace {

awaitable<void> unused_handler(RequestContext&) {
  co_return;
}

// The table ServiceHandlers::register_routes builds, in the same order.
Router service_router() {
  Router router;
  router.add("/health", Verb::get, unused_handler);
  router.add("/ready", Verb::get, unused_handler);
  router.add("/api/users", Verb::get, unused_handler);
  router.add("/api/orders", Verb::post, unused_handler);
  router.add("/api/orders/{id}", Verb::get, unused_handler);
  router.add("/api/slow", Verb::get, unused_handler);
  router.add("/api/products", Verb::get, unused_handler);
  router.add("/api/search", Verb::get, unused_handler);
  router.add("/api/reports", Verb::get, unused_handler);
  router.add("/api/payments", Verb::post, unused_handler);
  return router;
}

struct Lookup {
  Verb verb;
  std::string_view path;
};

void BM_RouterMatchFirstRoute(benchmark::State& state) {
  const Router router = service_router();
  for (auto _ : state) benchmark::DoNotOptimize(router.match(Verb::get, "/health"));
}
BENCHMARK(BM_RouterMatchFirstRoute);

void BM_RouterMatchLastRoute(benchmark::State& state) {
  const Router router = service_router();
  for (auto _ : state) benchmark::DoNotOptimize(router.match(Verb::post, "/api/payments"));
}
BENCHMARK(BM_RouterMatchLastRoute);

void BM_RouterMatchParameterised(benchmark::State& state) {
  const Router router = service_router();
  for (auto _ : state) {
    benchmark::DoNotOptimize(router.match(Verb::get, "/api/orders/ORD-1700000000-000042"));
  }
}
BENCHMARK(BM_RouterMatchParameterised);

void BM_RouterMatchMix(benchmark::State& state) {
  const Router router = service_router();
  constexpr std::array<Lookup, 8> kMix{{
      {Verb::get, "/health"},
      {Verb::get, "/api/products"},
      {Verb::get, "/api/users"},
      {Verb::post, "/api/orders"},
      {Verb::get, "/api/orders/ORD-1700000000-000042"},
      {Verb::post, "/api/payments"},
      {Verb::delete_, "/api/products"},  // 405
      {Verb::get, "/favicon.ico"},       // 404
  }};
  std::size_t i = 0;
  for (auto _ : state) {
    const Lookup& lookup = kMix[i++ & (kMix.size() - 1)];
    benchmark::DoNotOptimize(router.match(lookup.verb, lookup.path));
  }
}
BENCHMARK(BM_RouterMatchMix);

}  // namespace
}  // namespace latencylab::http
