// The storage behind each instrument: its series table plus how it turns into a MetricData at
// collection time. Internal to the SDK: applications hold the handles of instruments.hpp.
//
// Threading: io thread only (recording, binding and collection all happen there).
//
// Timestamps (OTel data model): a cumulative point starts when the instrument was created and its
// value covers everything since; a delta point starts at the previous collection of that instrument
// (its creation for the first one) and the state is reset after it is read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "telemetry/aggregation.hpp"
#include "telemetry/metric_data.hpp"
#include "telemetry/series_table.hpp"
#include "telemetry/temporality.hpp"

namespace latencylab::telemetry {

struct InstrumentDescriptor {
  std::string name;
  std::string description;
  std::string unit;
};

// The collection window of one instrument: [start, now] for its points.
struct CollectionWindow {
  std::uint64_t start_unix_nano = 0;
  std::uint64_t now_unix_nano = 0;
};

class InstrumentStorage {
 public:
  InstrumentStorage(InstrumentDescriptor descriptor, Temporality temporality,
                    std::uint64_t created_unix_nano)
      : descriptor_(std::move(descriptor)),
        temporality_(temporality),
        created_unix_nano_(created_unix_nano),
        last_collection_unix_nano_(created_unix_nano) {}
  virtual ~InstrumentStorage() = default;
  InstrumentStorage(const InstrumentStorage&) = delete;
  InstrumentStorage& operator=(const InstrumentStorage&) = delete;

  // Appends this instrument's MetricData to `out` when it has at least one point.
  void collect(std::uint64_t now_unix_nano, std::vector<MetricData>& out);

  [[nodiscard]] const InstrumentDescriptor& descriptor() const noexcept { return descriptor_; }
  [[nodiscard]] Temporality temporality() const noexcept { return temporality_; }

 protected:
  // Returns false when there is nothing to report this time.
  virtual bool collect_data(CollectionWindow window, MetricData& out) = 0;

 private:
  InstrumentDescriptor descriptor_;
  Temporality temporality_;
  std::uint64_t created_unix_nano_;
  std::uint64_t last_collection_unix_nano_;
};

// Counter (monotonic) and up-down counter.
template <typename T>
class SumStorage final : public InstrumentStorage {
 public:
  SumStorage(InstrumentDescriptor descriptor, Temporality temporality,
             std::size_t cardinality_limit, std::uint64_t created_unix_nano, bool monotonic)
      : InstrumentStorage(std::move(descriptor), temporality, created_unix_nano),
        monotonic_(monotonic),
        series_(cardinality_limit) {}

  SumCell<T>& bind(const AttributeList& attributes) { return series_.bind(attributes); }

 private:
  bool collect_data(CollectionWindow window, MetricData& out) override;

  bool monotonic_;
  SeriesTable<SumCell<T>> series_;
};

class HistogramStorage final : public InstrumentStorage {
 public:
  HistogramStorage(InstrumentDescriptor descriptor, Temporality temporality,
                   std::size_t cardinality_limit, std::uint64_t created_unix_nano,
                   std::vector<double> bounds)
      : InstrumentStorage(std::move(descriptor), temporality, created_unix_nano),
        bounds_(std::move(bounds)),
        series_(cardinality_limit) {}

  HistogramCell& bind(const AttributeList& attributes) { return series_.bind(attributes, bounds_); }
  [[nodiscard]] const std::vector<double>& bounds() const noexcept { return bounds_; }

 private:
  bool collect_data(CollectionWindow window, MetricData& out) override;

  const std::vector<double> bounds_;  // never resized: cells keep a span over it
  SeriesTable<HistogramCell> series_;
};

// What an observable instrument's callback reports into, once per collection.
template <typename T>
class ObservableResult {
 public:
  // A later observation of the same attribute set in one callback replaces the earlier one.
  void observe(T value, AttributeList attributes = {});

  [[nodiscard]] const std::vector<std::pair<AttributeList, T>>& observations() const noexcept {
    return observations_;
  }

 private:
  std::vector<std::pair<AttributeList, T>> observations_;
};

template <typename T>
using ObservableCallback = std::function<void(ObservableResult<T>&)>;

// Observable counter, up-down counter and gauge: values come from a callback run at collection.
template <typename T>
class ObservableStorage final : public InstrumentStorage {
 public:
  ObservableStorage(InstrumentDescriptor descriptor, Temporality temporality,
                    std::size_t cardinality_limit, std::uint64_t created_unix_nano,
                    InstrumentKind kind, ObservableCallback<T> callback)
      : InstrumentStorage(std::move(descriptor), temporality, created_unix_nano),
        kind_(kind),
        cardinality_limit_(cardinality_limit),
        callbacks_{std::move(callback)} {}

  // Another callback observing into this instrument (an identical registration).
  void add_callback(ObservableCallback<T> callback) { callbacks_.push_back(std::move(callback)); }

 private:
  bool collect_data(CollectionWindow window, MetricData& out) override;

  InstrumentKind kind_;
  std::size_t cardinality_limit_;
  std::vector<ObservableCallback<T>> callbacks_;
  // Delta observable counters report the difference from the previous observation.
  std::map<AttributeList, T, AttributeListLess> previous_;
};

}  // namespace latencylab::telemetry
