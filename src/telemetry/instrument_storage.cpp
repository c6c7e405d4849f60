#include "telemetry/instrument_storage.hpp"

#include <algorithm>
#include <exception>
#include <optional>

#include "core/log.hpp"

namespace latencylab::telemetry {

void InstrumentStorage::collect(std::uint64_t now_unix_nano, std::vector<MetricData>& out) {
  const CollectionWindow window{
      temporality_ == Temporality::cumulative ? created_unix_nano_ : last_collection_unix_nano_,
      now_unix_nano};
  MetricData data{descriptor_.name, descriptor_.description, descriptor_.unit, GaugeData{}};
  const bool has_points = collect_data(window, data);
  last_collection_unix_nano_ = now_unix_nano;
  if (has_points) out.push_back(std::move(data));
}

template <typename T>
bool SumStorage<T>::collect_data(CollectionWindow window, MetricData& out) {
  const bool delta = temporality() == Temporality::delta;
  SumData sum;
  sum.temporality = temporality();
  sum.monotonic = monotonic_;
  series_.for_each([&](const AttributeList& attributes, SumCell<T>& cell) {
    // Cumulative: a bound series is declared and reported from its first collection (0 until it
    // is used), so rate() has a starting point. Delta: only series that moved in the interval.
    if (delta && !cell.recorded) return;
    sum.points.push_back(
        NumberPoint{attributes, window.start_unix_nano, window.now_unix_nano, cell.value});
    if (delta) cell.reset();
  });
  if (sum.points.empty()) return false;
  out.data = std::move(sum);
  return true;
}

bool HistogramStorage::collect_data(CollectionWindow window, MetricData& out) {
  const bool delta = temporality() == Temporality::delta;
  HistogramData histogram;
  histogram.temporality = temporality();
  series_.for_each([&](const AttributeList& attributes, HistogramCell& cell) {
    if (delta && cell.count() == 0) return;
    HistogramPoint point;
    point.attributes = attributes;
    point.start_time_unix_nano = window.start_unix_nano;
    point.time_unix_nano = window.now_unix_nano;
    point.count = cell.count();
    point.sum = cell.sum();
    if (cell.count() > 0) {
      point.min = cell.min();
      point.max = cell.max();
    }
    point.explicit_bounds = bounds_;
    point.bucket_counts = cell.bucket_counts();
    histogram.points.push_back(std::move(point));
    if (delta) cell.reset();  // min/max restart with the next interval
  });
  if (histogram.points.empty()) return false;
  out.data = std::move(histogram);
  return true;
}

template <typename T>
void ObservableResult<T>::observe(T value, AttributeList attributes) {
  attributes = make_attributes(std::move(attributes));
  for (auto& [existing, existing_value] : observations_) {
    if (existing == attributes) {
      existing_value = value;
      return;
    }
  }
  observations_.emplace_back(std::move(attributes), value);
}

template <typename T>
bool ObservableStorage<T>::collect_data(CollectionWindow window, MetricData& out) {
  ObservableResult<T> result;
  try {
    for (const auto& callback : callbacks_) callback(result);
  } catch (const std::exception& e) {
    // A failing callback costs this instrument one collection, not the whole export.
    core::log::warn("metric_callback_failed", {{"metric", descriptor().name}, {"error", e.what()}});
    return false;
  }

  // Cardinality cap, as for synchronous instruments: the first limit-1 sets are kept, the rest fold
  // into the overflow point (summed for sums, last value for gauges).
  std::vector<std::pair<AttributeList, T>> observed;
  std::optional<T> overflow;
  for (const auto& [attributes, value] : result.observations()) {
    if (observed.size() + 1 < cardinality_limit_) {
      observed.emplace_back(attributes, value);
    } else if (kind_ == InstrumentKind::observable_gauge) {
      overflow = value;
    } else {
      overflow = overflow.value_or(T{}) + value;
    }
  }
  if (overflow) {
    observed.emplace_back(AttributeList{{std::string(kOverflowAttributeKey), true}}, *overflow);
  }
  if (observed.empty()) return false;

  std::vector<NumberPoint> points;
  points.reserve(observed.size());
  const bool delta = temporality() == Temporality::delta;
  for (auto& [attributes, value] : observed) {
    T reported = value;
    if (delta) {
      // The callback reports a running total; a delta point is its change since the last one.
      auto [previous, inserted] = previous_.try_emplace(attributes, T{});
      reported = value >= previous->second ? value - previous->second : value;
      previous->second = value;
    }
    points.push_back(
        NumberPoint{std::move(attributes), window.start_unix_nano, window.now_unix_nano, reported});
  }

  if (kind_ == InstrumentKind::observable_gauge) {
    out.data = GaugeData{std::move(points)};
  } else {
    out.data = SumData{std::move(points), temporality(),
                       /*monotonic=*/kind_ == InstrumentKind::observable_counter};
  }
  return true;
}

template class SumStorage<std::int64_t>;
template class SumStorage<double>;
template class ObservableResult<std::int64_t>;
template class ObservableResult<double>;
template class ObservableStorage<std::int64_t>;
template class ObservableStorage<double>;

}  // namespace latencylab::telemetry
