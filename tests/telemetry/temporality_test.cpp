#include "telemetry/temporality.hpp"

#include <gtest/gtest.h>

namespace latencylab::telemetry {
namespace {

constexpr auto C = Temporality::cumulative;
constexpr auto D = Temporality::delta;

struct Row {
  InstrumentKind kind;
  Temporality cumulative;
  Temporality delta;
  Temporality lowmemory;
};

// The table of the OTLP exporter spec (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).
TEST(Temporality, PreferenceMapsPerInstrumentKindAsTheSpecDefines) {
  const Row rows[] = {
      {InstrumentKind::counter, C, D, D},
      {InstrumentKind::observable_counter, C, D, C},
      {InstrumentKind::histogram, C, D, D},
      {InstrumentKind::up_down_counter, C, C, C},
      {InstrumentKind::observable_up_down_counter, C, C, C},
  };
  for (const auto& row : rows) {
    const auto kind = static_cast<int>(row.kind);
    EXPECT_EQ(temporality_for(TemporalityPreference::cumulative, row.kind), row.cumulative) << kind;
    EXPECT_EQ(temporality_for(TemporalityPreference::delta, row.kind), row.delta) << kind;
    EXPECT_EQ(temporality_for(TemporalityPreference::lowmemory, row.kind), row.lowmemory) << kind;
  }
}

TEST(Temporality, PreferenceParsingIsCaseInsensitiveAndStrict) {
  EXPECT_EQ(parse_temporality_preference("DELTA"), TemporalityPreference::delta);
  EXPECT_EQ(parse_temporality_preference("LowMemory"), TemporalityPreference::lowmemory);
  EXPECT_EQ(parse_temporality_preference("cumulative"), TemporalityPreference::cumulative);
  EXPECT_EQ(parse_temporality_preference("deltas"), std::nullopt);
  EXPECT_EQ(parse_temporality_preference(""), std::nullopt);
}

}  // namespace
}  // namespace latencylab::telemetry
