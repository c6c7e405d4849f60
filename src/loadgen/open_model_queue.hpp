// The bookkeeping of an open-model run: which connection slot sends each due request, and which
// requests were late or dropped. Pure and clock-free: callers pass times (offsets from the run
// start), so tests drive it with a fake clock.
//
// A request that falls due while every slot (the in-flight cap) is busy waits in a bounded FIFO
// backlog and keeps its intended time, so when a slot frees up its latency is still measured
// from the moment it should have been sent (coordinated omission stays visible). A request sent
// more than `late_after` after its intended time is counted as late. A request that cannot even
// wait (backlog full), or is still waiting when the run ends, is dropped and counted; none is
// silently delayed or forgotten.
//
// Owned by one io thread; not thread-safe. No allocation after construction.
//
//   OpenModelQueue q({.max_in_flight = 64, .max_backlog = 10'000, .late_after = 10ms});
//   auto d = q.on_due(intended, now);         // d.kind == Dispatch::Kind::send: slot d.slot sends
//   auto next = q.on_slot_free(d.slot, now);  // the next waiting request for that slot, if any
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "loadgen/duration_text.hpp"

namespace latencylab::loadgen {

struct OpenModelLimits {
  std::size_t max_in_flight = 1024;
  std::size_t max_backlog = 100'000;
  Nanos late_after{10'000'000};
  Nanos measure_from{0};  // requests intended before this (the warm-up) are not counted
};

struct Ticket {
  Nanos intended{};  // offset from the run start
  bool late = false;
};

// Counts of requests intended at or after `measure_from`.
struct OpenModelCounters {
  std::uint64_t due = 0;   // requests whose intended time arrived
  std::uint64_t sent = 0;  // handed to a slot (on time or late)
  std::uint64_t late = 0;  // subset of sent: sent more than late_after after intended
  std::uint64_t dropped_backlog_full = 0;
  std::uint64_t dropped_at_end = 0;  // still waiting in the backlog when the run ended
};

class OpenModelQueue {
 public:
  struct Dispatch {
    enum class Kind { send, queued, dropped } kind;
    std::size_t slot = 0;  // valid when kind == send
    Ticket ticket;
  };

  explicit OpenModelQueue(const OpenModelLimits& limits);

  // A request became due at `intended`; `now` >= intended is when the dispatcher noticed.
  Dispatch on_due(Nanos intended, Nanos now) noexcept;
  // `slot` finished its request: returns the oldest waiting request for it to send, or nullopt
  // (the slot becomes idle).
  std::optional<Ticket> on_slot_free(std::size_t slot, Nanos now) noexcept;
  // The run is over: every waiting request is dropped. Returns how many.
  std::uint64_t drop_backlog() noexcept;
  // A request that fell due during the run but was never even looked at (the dispatcher was
  // behind when the run ended): due and dropped.
  void on_never_dispatched(Nanos intended) noexcept;

  [[nodiscard]] const OpenModelCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] std::size_t in_flight() const noexcept {
    return limits_.max_in_flight - idle_.size();
  }
  [[nodiscard]] std::size_t backlog() const noexcept { return backlog_size_; }

 private:
  Ticket make_ticket(Nanos intended, Nanos now) noexcept;
  [[nodiscard]] bool measured(Nanos intended) const noexcept {
    return intended >= limits_.measure_from;
  }

  OpenModelLimits limits_;
  // Idle slots as a stack: the most recently used slot is reused first, so at low rates a few
  // warm keep-alive connections carry the traffic instead of every slot opening its own.
  std::vector<std::size_t> idle_;
  std::vector<Nanos> backlog_ring_;
  std::size_t backlog_head_ = 0;
  std::size_t backlog_size_ = 0;
  OpenModelCounters counters_;
};

}  // namespace latencylab::loadgen
