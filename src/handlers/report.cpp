#include "handlers/report.hpp"

#include <boost/json/value.hpp>
#include <cmath>
#include <random>

#include "core/json_writer.hpp"
#include "core/wall_clock.hpp"

namespace latencylab::handlers {

std::string report_json(sim::Rng& rng, std::chrono::system_clock::time_point now) {
  const auto rows = std::uniform_int_distribution<std::int64_t>(500, 5000)(rng);
  const double revenue =
      std::round(std::uniform_real_distribution<double>(10'000.0, 250'000.0)(rng) * 100.0) / 100.0;
  return core::json::serialize(
      boost::json::object{{"report_id", "RPT-" + std::to_string(rng() % 1'000'000'000)},
                          {"generated_at", core::format_rfc3339(now)},
                          {"period", "last_30_days"},
                          {"rows", rows},
                          {"revenue", revenue}});
}

}  // namespace latencylab::handlers
