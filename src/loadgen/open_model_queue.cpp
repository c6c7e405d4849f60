#include "loadgen/open_model_queue.hpp"

namespace latencylab::loadgen {

OpenModelQueue::OpenModelQueue(const OpenModelLimits& limits)
    : limits_(limits), backlog_ring_(limits.max_backlog) {
  idle_.reserve(limits_.max_in_flight);
  for (std::size_t slot = limits_.max_in_flight; slot > 0; --slot) idle_.push_back(slot - 1);
}

Ticket OpenModelQueue::make_ticket(Nanos intended, Nanos now) noexcept {
  const bool late = now - intended > limits_.late_after;
  if (measured(intended)) {
    ++counters_.sent;
    if (late) ++counters_.late;
  }
  return Ticket{intended, late};
}

OpenModelQueue::Dispatch OpenModelQueue::on_due(Nanos intended, Nanos now) noexcept {
  if (measured(intended)) ++counters_.due;
  if (!idle_.empty() && backlog_size_ == 0) {
    const std::size_t slot = idle_.back();
    idle_.pop_back();
    return {Dispatch::Kind::send, slot, make_ticket(intended, now)};
  }
  if (backlog_size_ == backlog_ring_.size()) {
    if (measured(intended)) ++counters_.dropped_backlog_full;
    return {Dispatch::Kind::dropped, 0, Ticket{intended, true}};
  }
  backlog_ring_[(backlog_head_ + backlog_size_) % backlog_ring_.size()] = intended;
  ++backlog_size_;
  return {Dispatch::Kind::queued, 0, Ticket{intended, false}};
}

std::optional<Ticket> OpenModelQueue::on_slot_free(std::size_t slot, Nanos now) noexcept {
  if (backlog_size_ == 0) {
    idle_.push_back(slot);
    return std::nullopt;
  }
  const Nanos intended = backlog_ring_[backlog_head_];
  backlog_head_ = (backlog_head_ + 1) % backlog_ring_.size();
  --backlog_size_;
  return make_ticket(intended, now);
}

std::uint64_t OpenModelQueue::drop_backlog() noexcept {
  const std::uint64_t dropped = backlog_size_;
  for (std::size_t i = 0; i < backlog_size_; ++i) {
    if (measured(backlog_ring_[(backlog_head_ + i) % backlog_ring_.size()])) {
      ++counters_.dropped_at_end;
    }
  }
  backlog_size_ = 0;
  backlog_head_ = 0;
  return dropped;
}

void OpenModelQueue::on_never_dispatched(Nanos intended) noexcept {
  if (!measured(intended)) return;
  ++counters_.due;
  ++counters_.dropped_at_end;
}

}  // namespace latencylab::loadgen
