#include "loadgen/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace latencylab::loadgen {
namespace {

constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << LatencyHistogram::kSubBucketBits;
// Values below 2 * kSubBuckets are recorded exactly, one bucket each.
constexpr std::uint64_t kExactLimit = 2 * kSubBuckets;
constexpr unsigned kFirstLogMagnitude = LatencyHistogram::kSubBucketBits + 1;

}  // namespace

std::size_t LatencyHistogram::bucket_count() noexcept {
  return kExactLimit + (kMaxMagnitude - kFirstLogMagnitude + 1) * kSubBuckets;
}

LatencyHistogram::LatencyHistogram() : counts_(bucket_count(), 0) {}

std::size_t LatencyHistogram::bucket_index(std::uint64_t value) noexcept {
  value = std::min(value, kMaxTrackable);
  if (value < kExactLimit) return static_cast<std::size_t>(value);
  const auto magnitude = static_cast<unsigned>(std::bit_width(value)) - 1;  // >= kFirstLogMagnitude
  const unsigned shift = magnitude - kSubBucketBits;
  const std::uint64_t sub_bucket = (value >> shift) - kSubBuckets;  // in [0, kSubBuckets)
  return static_cast<std::size_t>(kExactLimit + (magnitude - kFirstLogMagnitude) * kSubBuckets +
                                  sub_bucket);
}

std::uint64_t LatencyHistogram::bucket_highest_value(std::size_t index) noexcept {
  if (index < kExactLimit) return index;
  const std::uint64_t offset = index - kExactLimit;
  const auto magnitude = static_cast<unsigned>(offset / kSubBuckets) + kFirstLogMagnitude;
  const std::uint64_t sub_bucket = offset % kSubBuckets + kSubBuckets;
  const unsigned shift = magnitude - kSubBucketBits;
  return ((sub_bucket + 1) << shift) - 1;
}

void LatencyHistogram::record(std::uint64_t nanos) noexcept {
  ++counts_[bucket_index(nanos)];
  ++count_;
  min_ = std::min(min_, nanos);
  max_ = std::max(max_, nanos);
  sum_ += static_cast<long double>(nanos);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

void LatencyHistogram::reset() noexcept {
  if (count_ == 0) return;
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = ~std::uint64_t{0};
  max_ = 0;
  sum_ = 0;
}

double LatencyHistogram::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::uint64_t LatencyHistogram::percentile(double p) const noexcept {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // The epsilon keeps 99% of 1000 at rank 990 despite 0.99 * 1000 rounding to 990.0000000001.
  const double exact_rank = p / 100.0 * static_cast<double>(count_);
  const auto rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(exact_rank - 1e-9)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(bucket_highest_value(i), min_, max_);
  }
  return max_;
}

}  // namespace latencylab::loadgen
