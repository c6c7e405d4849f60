// Cost of writing one response body: the 201 body of POST /api/orders (two items, a fractional
// total) through core::json::serialize, beside boost::json::serialize, which it replaced because
// Boost 1.81 prints 59.9 as 5.99E1. Both allocate once per body; the writer must not be slower.
//
//   build/<dir>/bench/core_json_writer_benchmark
#include <benchmark/benchmark.h>

#include <boost/json/serialize.hpp>

#include "core/json_writer.hpp"

namespace latencylab {
namespace {

boost::json::object created_order() {
  boost::json::array items;
  items.push_back({{"id", "sku-1001"}, {"qty", 2}});
  items.push_back({{"id", "sku-1004"}, {"qty", 1}});
  return {{"order_id", "ORD-0001234500000042"},
          {"status", "created"},
          {"created_at", "2026-11-27T10:35:59.123Z"},
          {"user_id", "user-417"},
          {"items", std::move(items)},
          {"total", 59.9}};
}

void BM_CoreJsonSerialize(benchmark::State& state) {
  const boost::json::object body = created_order();
  for (auto _ : state) benchmark::DoNotOptimize(core::json::serialize(body));
}
BENCHMARK(BM_CoreJsonSerialize);

void BM_BoostJsonSerialize(benchmark::State& state) {
  const boost::json::object body = created_order();
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::serialize(body));
}
BENCHMARK(BM_BoostJsonSerialize);

}  // namespace
}  // namespace latencylab
