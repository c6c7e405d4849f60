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

template <typename Storage>
Storage* Meter::find_identical(const InstrumentDescriptor& descriptor, InstrumentKind kind) const {
  if (!valid_instrument_name(descriptor.name)) {
    throw std::invalid_argument("invalid instrument name '" + descriptor.name + "'");
  }
  for (const auto& existing : instruments_) {
    const InstrumentDescriptor& known = existing.storage->descriptor();
    if (known.name != descriptor.name) continue;
    // OpenTelemetry: an identical registration returns the same instrument, so every pool or
    // cache of a service can create the instruments it records into without coordinating.
    auto* same = dynamic_cast<Storage*>(existing.storage.get());
    if (same == nullptr || existing.kind != kind || known.unit != descriptor.unit ||
        known.description != descriptor.description) {
      throw std::invalid_argument("instrument '" + descriptor.name +
                                  "' registered again with a different kind, unit or description");
    }
    return same;
  }
  return nullptr;
}

template <typename Storage, typename... Args>
Storage& Meter::add_instrument(InstrumentDescriptor descriptor, InstrumentKind kind,
                               Args&&... args) {
  auto storage = std::make_unique<Storage>(std::move(descriptor), temporality_of(kind),
                                           options_.cardinality_limit, options_.clock(),
                                           std::forward<Args>(args)...);
  Storage& ref = *storage;
  instruments_.push_back({kind, std::move(storage)});
  return ref;
}

template <typename T>
Counter<T> Meter::create_counter(InstrumentDescriptor descriptor) {
  if (auto* same = find_identical<SumStorage<T>>(descriptor, InstrumentKind::counter)) {
    return Counter<T>(*same);
  }
  return Counter<T>(add_instrument<SumStorage<T>>(std::move(descriptor), InstrumentKind::counter,
                                                  /*monotonic=*/true));
}

template <typename T>
UpDownCounter<T> Meter::create_up_down_counter(InstrumentDescriptor descriptor) {
  if (auto* same = find_identical<SumStorage<T>>(descriptor, InstrumentKind::up_down_counter)) {
    return UpDownCounter<T>(*same);
  }
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
  if (auto* same = find_identical<HistogramStorage>(descriptor, InstrumentKind::histogram)) {
    if (same->bounds() != bounds) {
      throw std::invalid_argument("histogram '" + descriptor.name +
                                  "' registered again with different bucket bounds");
    }
    return Histogram(*same);
  }
  return Histogram(add_instrument<HistogramStorage>(std::move(descriptor),
                                                    InstrumentKind::histogram, std::move(bounds)));
}

template <typename T>
void Meter::create_observable_counter(InstrumentDescriptor descriptor,
                                      ObservableCallback<T> callback) {
  if (auto* same =
          find_identical<ObservableStorage<T>>(descriptor, InstrumentKind::observable_counter)) {
    same->add_callback(std::move(callback));
    return;
  }
  add_instrument<ObservableStorage<T>>(std::move(descriptor), InstrumentKind::observable_counter,
                                       InstrumentKind::observable_counter, std::move(callback));
}

template <typename T>
void Meter::create_observable_up_down_counter(InstrumentDescriptor descriptor,
                                              ObservableCallback<T> callback) {
  if (auto* same = find_identical<ObservableStorage<T>>(
          descriptor, InstrumentKind::observable_up_down_counter)) {
    same->add_callback(std::move(callback));
    return;
  }
  add_instrument<ObservableStorage<T>>(
      std::move(descriptor), InstrumentKind::observable_up_down_counter,
      InstrumentKind::observable_up_down_counter, std::move(callback));
}

template <typename T>
void Meter::create_observable_gauge(InstrumentDescriptor descriptor,
                                    ObservableCallback<T> callback) {
  if (auto* same =
          find_identical<ObservableStorage<T>>(descriptor, InstrumentKind::observable_gauge)) {
    same->add_callback(std::move(callback));
    return;
  }
  add_instrument<ObservableStorage<T>>(std::move(descriptor), InstrumentKind::observable_gauge,
                                       InstrumentKind::observable_gauge, std::move(callback));
}

MetricsSnapshot Meter::collect() {
  MetricsSnapshot snapshot;
  snapshot.resource = options_.resource;
  snapshot.scope = options_.scope;
  snapshot.metrics.reserve(instruments_.size());
  const std::uint64_t now = options_.clock();
  for (auto& instrument : instruments_) instrument.storage->collect(now, snapshot.metrics);
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
