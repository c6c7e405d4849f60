// Which aggregation temporality each instrument kind gets for an exporter's preference.
//
// The mapping is the one the OpenTelemetry OTLP exporter spec defines for
// OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE:
//
//   kind                        cumulative  delta       lowmemory
//   counter                     cumulative  delta       delta
//   observable counter          cumulative  delta       cumulative
//   histogram                   cumulative  delta       delta
//   up-down counter (sync/obs)  cumulative  cumulative  cumulative
//   gauge                       (no temporality: reported as cumulative, never reset)
//
//   Temporality t = temporality_for(TemporalityPreference::delta, InstrumentKind::counter);
#pragma once

#include <optional>
#include <string_view>

#include "telemetry/metric_exporter.hpp"

namespace latencylab::telemetry {

enum class InstrumentKind {
  counter,
  up_down_counter,
  histogram,
  observable_counter,
  observable_up_down_counter,
  observable_gauge,
};

[[nodiscard]] Temporality temporality_for(TemporalityPreference preference,
                                          InstrumentKind kind) noexcept;

// "cumulative" | "delta" | "lowmemory", case-insensitive; nullopt on anything else.
[[nodiscard]] std::optional<TemporalityPreference> parse_temporality_preference(
    std::string_view text) noexcept;

[[nodiscard]] std::string_view temporality_preference_name(TemporalityPreference p) noexcept;

}  // namespace latencylab::telemetry
