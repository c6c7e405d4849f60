#include "telemetry/meter.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/wall_clock.hpp"
#include "telemetry/histogram_buckets.hpp"

namespace latencylab::telemetry {
namespace {

// OTel API instrument name syntax: ^[A-Za-z][A-Za-z0-9_./-]{0,254}$
bool valid_instrument_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 255) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '-';
  });
}

void validate_bounds(const std::string& instrument, const std::vector<double>& bounds) {
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i - 1] < bounds[i]))) {
      throw std::invalid_argument("histogram '" + instrument +
                                  "': bucket bounds must be finite and strictly increasing");
    }
  }
}

}  // namespace

std::uint64_t system_unix_nanos() noexcept {
  return core::to_unix_nanos(std::chrono::system_clock::now());
}

Meter::Meter(MeterOptions options) : options_(std::move(options)) {
  if (options_.cardinality_limit < 2) {
    throw std::invalid_argument("cardinality limit must be at least 2 (one series + overflow)");
  }
}

Meter::~Meter() = default;

template <typename Storage, typename... Args>
Storage& Meter::add_instrument(InstrumentDescriptor descriptor, InstrumentKind kind,
                               Args&&... args) {
  if (!valid_instrument_name(descriptor.name)) {
    throw std::invalid_argument("invalid instrument name '" + descriptor.name + "'");
  }
  for (const auto& existing : instruments_) {
    if (existing->descriptor().name == descriptor.name) {
      throw std::invalid_argument("duplicate instrument name '" + descriptor.name + "'");
    }
  }
  auto storage = std::make_unique<Storage>(std::move(descriptor), temporality_of(kind),
                                           options_.cardinality_limit, options_.clock(),
                                           std::forward<Args>(args)...);
  Storage& ref = *storage;
  instruments_.push_back(std::move(storage));
  return ref;
}

template <typename T>
Counter<T> Meter::create_counter(InstrumentDescriptor descriptor) {
  return Counter<T>(add_instrument<SumStorage<T>>(std::move(descriptor), InstrumentKind::counter,
                                                  /*monotonic=*/true));
}

template <typename T>
UpDownCounter<T> Meter::create_up_down_counter(InstrumentDescriptor descriptor) {
  return UpDownCounter<T>(add_instrument<SumStorage<T>>(
      std::move(descriptor), InstrumentKind::up_down_counter, /*monotonic=*/false));
}

Histogram Meter::create_histogram(InstrumentDescriptor descriptor, std::vector<double> bounds) {
  if (bounds.empty()) {
    if (descriptor.unit == "s") {
      bounds.assign(kSecondsBuckets.begin(), kSecondsBuckets.end());
    } else {
      bounds.assign(kDefaultBuckets.begin(), kDefaultBuckets.end());
    }
  }
  validate_bounds(descriptor.name, bounds);
  return Histogram(add_instrument<HistogramStorage>(std::move(descriptor),
                                                    InstrumentKind::histogram, std::move(bounds)));
}

template <typename T>
void Meter::create_observable_counter(InstrumentDescriptor descriptor,
                                      ObservableCallback<T> callback) {
  add_instrument<ObservableStorage<T>>(std::move(descriptor), InstrumentKind::observable_counter,
                                       InstrumentKind::observable_counter, std::move(callback));
}

template <typename T>
void Meter::create_observable_up_down_counter(InstrumentDescriptor descriptor,
                                              ObservableCallback<T> callback) {
  add_instrument<ObservableStorage<T>>(
      std::move(descriptor), InstrumentKind::observable_up_down_counter,
      InstrumentKind::observable_up_down_counter, std::move(callback));
}

template <typename T>
void Meter::create_observable_gauge(InstrumentDescriptor descriptor,
                                    ObservableCallback<T> callback) {
  add_instrument<ObservableStorage<T>>(std::move(descriptor), InstrumentKind::observable_gauge,
                                       InstrumentKind::observable_gauge, std::move(callback));
}

MetricsSnapshot Meter::collect() {
  MetricsSnapshot snapshot;
  snapshot.resource = options_.resource;
  snapshot.scope = options_.scope;
  snapshot.metrics.reserve(instruments_.size());
  const std::uint64_t now = options_.clock();
  for (auto& instrument : instruments_) instrument->collect(now, snapshot.metrics);
  return snapshot;
}

template Counter<std::int64_t> Meter::create_counter<std::int64_t>(InstrumentDescriptor);
template UpDownCounter<std::int64_t> Meter::create_up_down_counter<std::int64_t>(
    InstrumentDescriptor);
template void Meter::create_observable_counter<std::int64_t>(InstrumentDescriptor,
                                                             ObservableCallback<std::int64_t>);
template void Meter::create_observable_up_down_counter<std::int64_t>(
    InstrumentDescriptor, ObservableCallback<std::int64_t>);
template void Meter::create_observable_gauge<std::int64_t>(InstrumentDescriptor,
                                                           ObservableCallback<std::int64_t>);
template Counter<double> Meter::create_counter<double>(InstrumentDescriptor);
template UpDownCounter<double> Meter::create_up_down_counter<double>(InstrumentDescriptor);
template void Meter::create_observable_counter<double>(InstrumentDescriptor,
                                                       ObservableCallback<double>);
template void Meter::create_observable_up_down_counter<double>(InstrumentDescriptor,
                                                               ObservableCallback<double>);
template void Meter::create_observable_gauge<double>(InstrumentDescriptor,
                                                     ObservableCallback<double>);

}  // namespace latencylab::telemetry
