// The Meter: creates instruments, owns their storage and builds the MetricsSnapshot on collection.
//
// One Meter per process, created at startup with the resource and the exporter's temporality
// preference; every instrument gets its temporality from that preference (temporality.hpp).
// Instruments are created and bound at startup (exceptions allowed there: invalid names, duplicate
// names, bad bucket bounds); recording through bound handles never throws or allocates.
//
// Threading: the Meter, its instruments and collect() belong to the io thread; the snapshot that
// collect() returns is immutable and may then travel to any thread.
//
//   Meter meter(MeterOptions{.resource = make_resource(settings, current_process_identity())});
//   auto requests = meter.create_counter<std::int64_t>({"orders.created", "Orders", "{order}"});
//   auto latency  = meter.create_histogram({"db.client.operation.duration", "DB time", "s"});
//   meter.create_observable_gauge<std::int64_t>({"queue.depth", "", "{item}"},
//       [&](ObservableResult<std::int64_t>& r) { r.observe(queue.size()); });
//   MetricsSnapshot snapshot = meter.collect();
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "telemetry/instrument_storage.hpp"
#include "telemetry/instruments.hpp"
#include "telemetry/metric_data.hpp"
#include "telemetry/metric_exporter.hpp"
#include "telemetry/sdk_version.hpp"
#include "telemetry/temporality.hpp"

namespace latencylab::telemetry {

// Unix-epoch nanoseconds; injected so tests control timestamps.
using UnixClock = std::function<std::uint64_t()>;
[[nodiscard]] std::uint64_t system_unix_nanos() noexcept;

struct MeterOptions {
  AttributeList resource;
  InstrumentationScope scope{"latencylab", std::string(sdk_version())};
  TemporalityPreference temporality_preference = TemporalityPreference::cumulative;
  std::size_t cardinality_limit = kDefaultCardinalityLimit;  // per instrument, overflow included
  UnixClock clock = &system_unix_nanos;
};

class Meter {
 public:
  explicit Meter(MeterOptions options = {});
  ~Meter();
  Meter(const Meter&) = delete;
  Meter& operator=(const Meter&) = delete;

  template <typename T>
  [[nodiscard]] Counter<T> create_counter(InstrumentDescriptor descriptor);
  template <typename T>
  [[nodiscard]] UpDownCounter<T> create_up_down_counter(InstrumentDescriptor descriptor);
  // Empty `bounds`: kSecondsBuckets when the unit is "s", kDefaultBuckets otherwise. Bounds must be
  // finite and strictly increasing.
  [[nodiscard]] Histogram create_histogram(InstrumentDescriptor descriptor,
                                           std::vector<double> bounds = {});

  // Callbacks run on the io thread inside collect(). Counter callbacks report running totals.
  template <typename T>
  void create_observable_counter(InstrumentDescriptor descriptor, ObservableCallback<T> callback);
  template <typename T>
  void create_observable_up_down_counter(InstrumentDescriptor descriptor,
                                         ObservableCallback<T> callback);
  template <typename T>
  void create_observable_gauge(InstrumentDescriptor descriptor, ObservableCallback<T> callback);

  // Runs the callbacks, reads (and for delta instruments resets) every series. Allocates.
  [[nodiscard]] MetricsSnapshot collect();

  [[nodiscard]] Temporality temporality_of(InstrumentKind kind) const noexcept {
    return temporality_for(options_.temporality_preference, kind);
  }
  [[nodiscard]] const AttributeList& resource() const noexcept { return options_.resource; }

 private:
  // The instrument already registered under the descriptor's name with the same kind, unit and
  // description, or nullptr when the name is new. Throws on an invalid name or a conflicting
  // registration.
  template <typename Storage>
  Storage* find_identical(const InstrumentDescriptor& descriptor, InstrumentKind kind) const;
  template <typename Storage, typename... Args>
  Storage& add_instrument(InstrumentDescriptor descriptor, InstrumentKind kind, Args&&... args);

  struct Registered {
    InstrumentKind kind;
    std::unique_ptr<InstrumentStorage> storage;
  };

  MeterOptions options_;
  // Owned by the io thread. unique_ptr: handles point into the storages, which must never move.
  std::vector<Registered> instruments_;
};

}  // namespace latencylab::telemetry
