// A compact log-linear latency histogram in the spirit of HdrHistogram (which Debian does not
// ship).
//
// Values are nanoseconds. Below 256 ns every value has its own bucket; above, each power of two is
// split into 128 linear sub-buckets, so a bucket is never wider than 1/128 (0.78%) of the values
// it holds. Percentiles report the highest value of the bucket they fall in (clamped to the exact
// max), which over-reports by at most 0.78% and never under-reports. The range reaches 2^43 ns
// (about 2.4 h); larger values are clamped to it and still counted. Memory: ~37 KiB, allocated
// once at construction; record() is O(1), branch-light and allocation-free.
//
// Not thread-safe: each io thread owns its histograms and they are merged after the run.
//
//   LatencyHistogram h;
//   h.record(1'250'000);                 // 1.25 ms
//   std::uint64_t p99 = h.percentile(99.0);
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace latencylab::loadgen {

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBucketBits = 7;  // 128 sub-buckets per power of two
  static constexpr unsigned kMaxMagnitude = 42;  // highest power of two tracked: [2^42, 2^43)
  static constexpr std::uint64_t kMaxTrackable = (std::uint64_t{1} << (kMaxMagnitude + 1)) - 1;

  LatencyHistogram();

  void record(std::uint64_t nanos) noexcept;
  void merge(const LatencyHistogram& other) noexcept;
  void reset() noexcept;

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::uint64_t min() const noexcept { return count_ == 0 ? 0 : min_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  [[nodiscard]] double mean() const noexcept;

  // Nearest-rank percentile, p in [0, 100]; 0 when empty. percentile(100) == max().
  [[nodiscard]] std::uint64_t percentile(double p) const noexcept;

  // Bucket arithmetic, exposed for tests of the error bound.
  [[nodiscard]] static std::size_t bucket_index(std::uint64_t value) noexcept;
  [[nodiscard]] static std::uint64_t bucket_highest_value(std::size_t index) noexcept;
  [[nodiscard]] static std::size_t bucket_count() noexcept;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = ~std::uint64_t{0};
  std::uint64_t max_ = 0;
  // Sum in long double: 10^9 samples of an hour each would overflow 64-bit nanoseconds.
  long double sum_ = 0;
};

}  // namespace latencylab::loadgen
