// The per-series aggregation state the hot path writes into: a sum cell and a histogram cell.
//
// Threading: every cell is owned by the io thread. Recording is plain arithmetic on plain fields
// (no atomics, no locks, no allocation); collection reads and, for delta temporality, resets them
// on the same thread.
//
//   HistogramCell cell(bounds);        // bounds outlive the cell (the instrument owns them)
//   cell.record(0.012);                // lands in bucket (0.01, 0.025]
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace latencylab::telemetry {

// Sum for counters and up-down counters. `recorded` tells a delta collection which series had a
// measurement in the interval (a series that saw none is not exported, like the OTel SDKs do).
template <typename T>
struct SumCell {
  T value{};
  bool recorded = false;

  void add(T amount) noexcept {
    value += amount;
    recorded = true;
  }
  void reset() noexcept {
    value = T{};
    recorded = false;
  }
};

// Explicit-bucket histogram. Bucket i holds values in (bounds[i-1], bounds[i]]; the last bucket
// holds values above every bound. A value exactly on a bound therefore counts in that bound's
// bucket, as OTLP defines it.
class HistogramCell {
 public:
  explicit HistogramCell(std::span<const double> bounds)
      : bounds_(bounds), bucket_counts_(bounds.size() + 1, 0) {}

  // NaN is dropped: it has no bucket and would poison sum/min/max.
  void record(double value) noexcept {
    if (std::isnan(value)) return;
    ++bucket_counts_[bucket_index(bounds_, value)];
    ++count_;
    sum_ += value;
    min_ = value < min_ ? value : min_;
    max_ = value > max_ ? value : max_;
  }

  // Index of the first bound >= value (bounds.size() when above all of them). Binary search: the
  // seconds histogram has 14 bounds, the lag histogram 16, so this is at most 5 comparisons.
  [[nodiscard]] static std::size_t bucket_index(std::span<const double> bounds,
                                                double value) noexcept {
    std::size_t low = 0;
    std::size_t high = bounds.size();
    while (low < high) {
      const std::size_t mid = (low + high) / 2;
      if (bounds[mid] < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  void reset() noexcept {
    for (auto& c : bucket_counts_) c = 0;
    count_ = 0;
    sum_ = 0.0;
    min_ = std::numeric_limits<double>::infinity();
    max_ = -std::numeric_limits<double>::infinity();
  }

  [[nodiscard]] std::span<const double> bounds() const noexcept { return bounds_; }
  [[nodiscard]] const std::vector<std::uint64_t>& bucket_counts() const noexcept {
    return bucket_counts_;
  }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] double sum() const noexcept { return sum_; }
  // Meaningful only when count() > 0.
  [[nodiscard]] double min() const noexcept { return min_; }
  [[nodiscard]] double max() const noexcept { return max_; }

 private:
  std::span<const double> bounds_;
  std::vector<std::uint64_t> bucket_counts_;
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace latencylab::telemetry
