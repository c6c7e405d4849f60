#include "telemetry/temporality.hpp"

#include "core/text.hpp"

namespace latencylab::telemetry {

Temporality temporality_for(TemporalityPreference preference, InstrumentKind kind) noexcept {
  switch (kind) {
    case InstrumentKind::counter:
    case InstrumentKind::histogram:
      return preference == TemporalityPreference::cumulative ? Temporality::cumulative
                                                             : Temporality::delta;
    case InstrumentKind::observable_counter:
      return preference == TemporalityPreference::delta ? Temporality::delta
                                                        : Temporality::cumulative;
    case InstrumentKind::up_down_counter:
    case InstrumentKind::observable_up_down_counter:
    case InstrumentKind::observable_gauge:
      return Temporality::cumulative;
  }
  return Temporality::cumulative;
}

std::optional<TemporalityPreference> parse_temporality_preference(std::string_view text) noexcept {
  for (auto preference : {TemporalityPreference::cumulative, TemporalityPreference::delta,
                          TemporalityPreference::lowmemory}) {
    if (core::iequals(text, temporality_preference_name(preference))) return preference;
  }
  return std::nullopt;
}

std::string_view temporality_preference_name(TemporalityPreference p) noexcept {
  switch (p) {
    case TemporalityPreference::cumulative:
      return "cumulative";
    case TemporalityPreference::delta:
      return "delta";
    case TemporalityPreference::lowmemory:
      return "lowmemory";
  }
  return "cumulative";
}

}  // namespace latencylab::telemetry
