// Instrument handles: what application code holds and records through.
//
// An instrument (Counter, UpDownCounter, Histogram) is bound to an attribute set once, ahead of
// time; the resulting Bound* handle records with plain arithmetic on the series cell: no hashing,
// no allocation, noexcept. Handles are cheap to copy and stay valid as long as the Meter lives.
//
// Threading: io thread only, like the Meter that created them.
//
//   Counter<std::int64_t> orders =
//       meter.create_counter<std::int64_t>({"orders", "Orders", "{order}"});  // at startup
//   BoundCounter<std::int64_t> created = orders.bind({{"status", "created"}});  // at startup
//   created.add(1);                                                             // on the hot path
#pragma once

#include <cstdint>

#include "telemetry/aggregation.hpp"
#include "telemetry/attributes.hpp"
#include "telemetry/instrument_storage.hpp"

namespace latencylab::telemetry {

template <typename T>
class BoundCounter {
 public:
  explicit BoundCounter(SumCell<T>& cell) noexcept : cell_(&cell) {}

  // Counters are monotonic: negative (and NaN) increments are dropped, as the OTel API requires.
  void add(T amount) const noexcept {
    if (!(amount >= T{})) return;
    cell_->add(amount);
  }

 private:
  SumCell<T>* cell_;
};

template <typename T>
class BoundUpDownCounter {
 public:
  explicit BoundUpDownCounter(SumCell<T>& cell) noexcept : cell_(&cell) {}

  void add(T amount) const noexcept { cell_->add(amount); }

 private:
  SumCell<T>* cell_;
};

class BoundHistogram {
 public:
  explicit BoundHistogram(HistogramCell& cell) noexcept : cell_(&cell) {}

  void record(double value) const noexcept { cell_->record(value); }

 private:
  HistogramCell* cell_;
};

template <typename T>
class Counter {
 public:
  explicit Counter(SumStorage<T>& storage) noexcept : storage_(&storage) {}

  // Allocates on the first bind of a set (bind time only); the same set returns the same series.
  [[nodiscard]] BoundCounter<T> bind(AttributeList attributes = {}) const {
    return BoundCounter<T>(storage_->bind(make_attributes(std::move(attributes))));
  }

 private:
  SumStorage<T>* storage_;
};

template <typename T>
class UpDownCounter {
 public:
  explicit UpDownCounter(SumStorage<T>& storage) noexcept : storage_(&storage) {}

  [[nodiscard]] BoundUpDownCounter<T> bind(AttributeList attributes = {}) const {
    return BoundUpDownCounter<T>(storage_->bind(make_attributes(std::move(attributes))));
  }

 private:
  SumStorage<T>* storage_;
};

class Histogram {
 public:
  explicit Histogram(HistogramStorage& storage) noexcept : storage_(&storage) {}

  [[nodiscard]] BoundHistogram bind(AttributeList attributes = {}) const {
    return BoundHistogram(storage_->bind(make_attributes(std::move(attributes))));
  }

 private:
  HistogramStorage* storage_;
};

}  // namespace latencylab::telemetry
