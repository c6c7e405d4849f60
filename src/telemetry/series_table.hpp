// The attribute-set -> series map of one instrument, with the OpenTelemetry cardinality cap.
//
// bind() runs at bind time only (startup, or the first time a combination appears): it looks the
// set up in an ordered map and returns a reference that stays valid for the table's lifetime
// (std::deque never moves its elements), so recordings go straight to the cell without hashing.
// Once `cardinality_limit - 1` distinct sets exist, every new set is folded into one overflow
// series with the single attribute otel.metric.overflow=true, so an instrument never reports more
// than `cardinality_limit` points per collection (OTel metrics SDK spec, "Cardinality limits").
//
// Threading: io thread only.
//
//   SeriesTable<SumCell<std::int64_t>> table(2000);
//   SumCell<std::int64_t>& cell = table.bind(make_attributes({{"route", "/health"}}));
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <utility>

#include "telemetry/attributes.hpp"

namespace latencylab::telemetry {

inline constexpr std::size_t kDefaultCardinalityLimit = 2000;
inline constexpr std::string_view kOverflowAttributeKey = "otel.metric.overflow";

template <typename Cell>
class SeriesTable {
 public:
  explicit SeriesTable(std::size_t cardinality_limit) : limit_(cardinality_limit) {}

  SeriesTable(const SeriesTable&) = delete;
  SeriesTable& operator=(const SeriesTable&) = delete;

  // `cell_args` construct the cell when the set is new. `attributes` must be sorted
  // (make_attributes). Allocates; never call on a recording path.
  template <typename... CellArgs>
  Cell& bind(const AttributeList& attributes, CellArgs&&... cell_args) {
    if (auto it = index_.find(attributes); it != index_.end()) return *it->second;
    if (index_.size() + 1 >= limit_) {
      if (overflow_ == nullptr) {
        overflow_ = &series_
                         .emplace_back(AttributeList{{std::string(kOverflowAttributeKey), true}},
                                       Cell(std::forward<CellArgs>(cell_args)...))
                         .cell;
      }
      return *overflow_;
    }
    Cell& cell = series_.emplace_back(attributes, Cell(std::forward<CellArgs>(cell_args)...)).cell;
    index_.emplace(attributes, &cell);
    return cell;
  }

  // f(const AttributeList&, Cell&), in creation order.
  template <typename F>
  void for_each(F&& f) {
    for (auto& series : series_) f(std::as_const(series.attributes), series.cell);
  }

  [[nodiscard]] std::size_t size() const noexcept { return series_.size(); }

 private:
  struct Series {
    AttributeList attributes;
    Cell cell;
  };

  std::size_t limit_;
  std::deque<Series> series_;
  std::map<AttributeList, Cell*, AttributeListLess> index_;
  Cell* overflow_ = nullptr;
};

}  // namespace latencylab::telemetry
