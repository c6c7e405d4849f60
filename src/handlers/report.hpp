// GET /api/reports' body: a generated report that varies per call.
//
//   std::string body = report_json(rng, std::chrono::system_clock::now());
//   // {"report_id":"RPT-...","generated_at":"...","period":"last_30_days","rows":...,"revenue":...}
#pragma once

#include <chrono>
#include <string>

#include "sim/random.hpp"

namespace latencylab::handlers {

[[nodiscard]] std::string report_json(sim::Rng& rng, std::chrono::system_clock::time_point now);

}  // namespace latencylab::handlers
