// GCC 12 at -O2 reports a false -Wnull-dereference inside Asio's scheduler when awaitable
// completions go through any_io_executor (inlined library code, not ours); silenced for this file
// only, before the includes.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "loadgen/load_engine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.hpp"

namespace latencylab::loadgen {
namespace {

constexpr auto kSweepPeriod = std::chrono::milliseconds{50};
constexpr auto kFlushPeriod = std::chrono::seconds{1};

// Spreads connections over 127.0.0.1 .. 127.0.0.N so that more connections than one ephemeral
// port range can be open at once (the kernel's port space is per source address).
std::optional<asio::ip::address> source_address_for(const RunPlan& plan,
                                                    const TargetAddress& target,
                                                    std::size_t connection_index) {
  if (plan.source_addresses <= 1 || !target.endpoint.address().is_v4()) return std::nullopt;
  const auto host = static_cast<unsigned>(connection_index % plan.source_addresses) + 1;
  return asio::ip::address_v4((127u << 24) | host);
}

}  // namespace

LoadEngine::LoadEngine(const RunPlan& plan, unsigned thread_index, IntervalMailbox& mailbox,
                       const MetricsExport* metrics_export)
    : plan_(plan),
      thread_index_(thread_index),
      mailbox_(mailbox),
      rng_(plan.seed * 0x9E3779B97F4A7C15ull + thread_index),
      sweep_timer_(io_),
      flush_timer_(io_),
      deadline_timer_(io_) {
  if (plan.max_requests > 0) {
    requests_left_ = thread_share(plan.max_requests, thread_index, plan.threads);
  }
  if (metrics_export != nullptr) {
    metrics_.emplace(metrics_export->meter, plan);
    reader_.emplace(io_, metrics_export->meter, metrics_export->exporter, metrics_export->reader);
    final_export_budget_ = metrics_export->reader.timeout;
  }
  runs_.resize(plan.targets.size());
  intervals_.resize(plan.targets.size());
  for (std::size_t t = 0; t < plan.targets.size(); ++t) {
    TargetRun& run = runs_[t];
    run.plan = &plan.targets[t];
    run.index = t;
    run.stats = TargetStats(run.plan->mix.endpoint_count());
    const std::size_t slot_count =
        plan.model == LoadModel::open
            ? thread_share(plan.max_in_flight, thread_index, plan.threads)
            : thread_share(plan.connections.peak(), thread_index, plan.threads);
    if (plan.model == LoadModel::open) {
      run.queue.emplace(OpenModelLimits{slot_count,
                                        thread_share(plan.max_backlog, thread_index, plan.threads),
                                        plan.late_after, plan.warmup});
    }
    for (std::size_t s = 0; s < slot_count; ++s) {
      // Globally unique connection numbers spread evenly over the source addresses.
      const std::size_t global_index = s * plan.threads + thread_index;
      ConnectionSettings settings{run.plan->address.endpoint,
                                  source_address_for(plan, run.plan->address, global_index),
                                  plan.connection_per_request};
      run.slots.push_back(std::make_unique<Slot>(io_.get_executor(), settings, s));
    }
  }
}

LoadEngine::~LoadEngine() = default;

bool LoadEngine::take_request_quota() noexcept {
  if (!requests_left_) return true;
  if (*requests_left_ == 0) return false;
  --*requests_left_;
  return true;
}

void LoadEngine::run(Clock::time_point start) {
  start_ = start;
  if (reader_) reader_->start();
  for (auto& run : runs_) {
    if (run.slots.empty()) continue;  // more threads than connections: nothing for this one
    ++live_targets_;
    if (plan_.model == LoadModel::open) {
      ++run.live_coroutines;
      asio::co_spawn(io_, dispatch_open(run), asio::detached);
    } else {
      set_active_slots(run, thread_share(plan_.connections.connections_at(Nanos{0}), thread_index_,
                                         plan_.threads));
      if (plan_.connections.changes()) {
        ++run.live_coroutines;
        asio::co_spawn(io_, ramp_closed(run), asio::detached);
      }
    }
  }
  if (live_targets_ == 0) {
    finish_run();  // more threads than connections: nothing to do here
  } else {
    asio::co_spawn(io_, sweep_timeouts(), asio::detached);
    asio::co_spawn(io_, flush_intervals(), asio::detached);
    // The closed model has no schedule to run out of: a timer ends it.
    deadline_timer_.expires_at(start_ + plan_.duration);
    deadline_timer_.async_wait([this](const error_code& ec) {
      if (!ec) stop_all();
    });
  }
  io_.run();
  deposit_interval();
  results_.clear();
  for (auto& run : runs_) {
    if (run.queue) run.stats.schedule = run.queue->counters();
    for (const auto& slot : run.slots) run.stats.connections_opened += slot->connection.connects();
    results_.push_back(std::move(run.stats));
  }
}

awaitable<void> LoadEngine::dispatch_open(TargetRun& run) {
  const ArrivalSchedule& schedule = *run.plan->schedule;
  asio::steady_timer timer(io_);
  std::uint64_t index = thread_index_;
  for (;; index += plan_.threads) {
    const auto intended = schedule.intended_offset(index);
    if (!intended || *intended >= plan_.duration || run.stopping) break;
    const auto due = start_ + *intended;
    if (due > Clock::now()) {
      timer.expires_at(due);
      co_await timer.async_wait(use_nothrow);
    }
    const auto now = Clock::now();
    if (run.stopping || now >= start_ + plan_.duration) break;
    if (!take_request_quota()) break;
    const auto dispatch = run.queue->on_due(*intended, elapsed(now));
    switch (dispatch.kind) {
      case OpenModelQueue::Dispatch::Kind::send:
        start_open_slot(run, dispatch.slot, dispatch.ticket);
        break;
      case OpenModelQueue::Dispatch::Kind::queued:
        break;
      case OpenModelQueue::Dispatch::Kind::dropped:
        count_dropped(run, 1);
        break;
    }
  }
  // Requests that fell due before the end but were never looked at (the dispatcher fell behind)
  // are dropped, not forgotten: the rate gate must see them. A --requests cap is not "behind".
  if (!requests_left_ || *requests_left_ > 0) {
    for (auto intended = schedule.intended_offset(index); intended && *intended < plan_.duration;
         index += plan_.threads, intended = schedule.intended_offset(index)) {
      run.queue->on_never_dispatched(*intended);
      count_dropped(run, 1);
    }
  }
  count_dropped(run, run.queue->drop_backlog());
  stop_target(run);
  on_coroutine_done(run);
}

void LoadEngine::start_open_slot(TargetRun& run, std::size_t slot_index, const Ticket& ticket) {
  Slot& slot = *run.slots[slot_index];
  if (ticket.late) ++intervals_[run.index].late;
  if (!slot.running) {
    slot.running = true;
    ++run.live_coroutines;
    asio::co_spawn(io_, run_open_slot(run, slot, ticket), asio::detached);
    return;
  }
  slot.ticket = ticket;
  slot.wake.cancel();
}

awaitable<void> LoadEngine::run_open_slot(TargetRun& run, Slot& slot, Ticket first) {
  Ticket ticket = first;
  for (;;) {
    const RequestInFlight request = begin_request(run, ticket.intended, ticket.late);
    finish_request(
        run, request,
        co_await slot.connection.exchange(request.choice.bytes, request.sent_at + plan_.timeout));
    if (run.stopping) break;
    if (auto next = run.queue->on_slot_free(slot.index, elapsed(Clock::now()))) {
      ticket = *next;
      if (ticket.late) ++intervals_[run.index].late;
      continue;
    }
    // Parked: the dispatcher hands over a ticket and cancels the wait.
    slot.wake.expires_at(Clock::time_point::max());
    co_await slot.wake.async_wait(use_nothrow);
    if (!slot.ticket) break;  // woken without work: the run is over
    ticket = *slot.ticket;
    slot.ticket.reset();
  }
  slot.connection.close();
  slot.running = false;
  on_coroutine_done(run);
}

awaitable<void> LoadEngine::run_closed_slot(TargetRun& run, Slot& slot) {
  // All threads start at the same instant: a request sent before start_ would have a negative
  // intended time, fall outside the measured window and vanish from the report.
  slot.wake.expires_at(start_);
  co_await slot.wake.async_wait(use_nothrow);  // cancelled by stop_all()
  while (!run.stopping && slot.index < run.active_slots) {
    if (!take_request_quota()) {
      stop_all();  // every target is done; a ramp controller must not hold the run open
      break;
    }
    const RequestInFlight request = begin_request(run, elapsed(Clock::now()), /*late=*/false);
    finish_request(
        run, request,
        co_await slot.connection.exchange(request.choice.bytes, request.sent_at + plan_.timeout));
    if (plan_.think_time.count() > 0 && !run.stopping) {
      slot.wake.expires_after(plan_.think_time);
      co_await slot.wake.async_wait(use_nothrow);  // cancelled by stop_all() or a ramp-down
    }
  }
  slot.connection.close();
  slot.running = false;
  on_coroutine_done(run);
}

void LoadEngine::set_active_slots(TargetRun& run, std::size_t count) {
  const std::size_t before = run.active_slots;
  run.active_slots = count;
  for (std::size_t s = before; s < count; ++s) {
    Slot& slot = *run.slots[s];
    if (slot.running) continue;  // retired but still finishing its request: it carries on
    slot.running = true;
    ++run.live_coroutines;
    asio::co_spawn(io_, run_closed_slot(run, slot), asio::detached);
  }
  // Retired slots end after their request in flight; one in its think time ends now.
  for (std::size_t s = count; s < before; ++s) run.slots[s]->wake.cancel();
}

awaitable<void> LoadEngine::ramp_closed(TargetRun& run) {
  const ConnectionRamp& ramp = plan_.connections;
  asio::steady_timer timer(io_);
  run.ramp_timer = &timer;
  for (auto next = ramp.next_change_after(Nanos{0}); next && *next < plan_.duration;
       next = ramp.next_change_after(*next)) {
    timer.expires_at(start_ + *next);
    co_await timer.async_wait(use_nothrow);  // cancelled by stop_target()
    if (run.stopping) break;
    set_active_slots(run, thread_share(ramp.connections_at(*next), thread_index_, plan_.threads));
  }
  run.ramp_timer = nullptr;
  on_coroutine_done(run);
}

LoadEngine::RequestInFlight LoadEngine::begin_request(TargetRun& run, Nanos intended, bool late) {
  const RequestMix::Choice choice = run.plan->mix.pick(rng_);
  if (metrics_) metrics_->sent(run.index, choice.endpoint, late);
  const bool measured = intended >= plan_.warmup;
  ++intervals_[run.index].started;
  if (measured) ++run.stats.started;
  ++run.busy_slots;
  return {choice, intended, Clock::now(), measured};
}

void LoadEngine::finish_request(TargetRun& run, const RequestInFlight& request,
                                ExchangeOutcome outcome) {
  const auto done_at = Clock::now();
  if (outcome.error == ErrorKind::none &&
      !run.plan->mix.expects(request.choice.endpoint, outcome.status)) {
    outcome.error = ErrorKind::status;
  }
  --run.busy_slots;
  const Nanos latency = done_at - (start_ + request.intended);
  const Nanos service_time = done_at - request.sent_at;
  IntervalStats& interval = intervals_[run.index];
  ++interval.completed;
  if (outcome.error != ErrorKind::none) ++interval.errors;
  interval.latency.record(static_cast<std::uint64_t>(std::max<Nanos::rep>(latency.count(), 0)));
  interval.service_time.record(static_cast<std::uint64_t>(service_time.count()));
  if (request.measured) {
    run.stats.endpoints[request.choice.endpoint].record(outcome, latency, service_time);
  }
  if (metrics_) {
    metrics_->finished(run.index, request.choice.endpoint, outcome, service_time, latency);
  }
}

void LoadEngine::count_dropped(TargetRun& run, std::uint64_t count) {
  intervals_[run.index].dropped += count;
  if (metrics_ && count > 0) metrics_->dropped(run.index, count);
}

void LoadEngine::stop_target(TargetRun& run) {
  run.stopping = true;
  // Wake parked slots (open model) and cut think times short (closed model).
  for (auto& slot : run.slots) slot->wake.cancel();
  if (run.ramp_timer != nullptr) run.ramp_timer->cancel();
}

void LoadEngine::stop_all() {
  for (auto& run : runs_) stop_target(run);
}

void LoadEngine::on_coroutine_done(TargetRun& run) {
  if (--run.live_coroutines > 0) return;
  if (--live_targets_ > 0) return;
  finish_run();
}

void LoadEngine::finish_run() {
  if (requests_left_ && *requests_left_ == 0) request_cap_end_ = elapsed(Clock::now());
  // Everything has finished: let the housekeeping coroutines end, and the reader after its final
  // export, so io_.run() returns.
  sweep_timer_.cancel();
  flush_timer_.cancel();
  deadline_timer_.cancel();
  if (reader_) asio::co_spawn(io_, export_final_metrics(), asio::detached);
}

awaitable<void> LoadEngine::export_final_metrics() {
  const telemetry::ExportResult last =
      co_await reader_->async_shutdown(final_export_budget_, asio::use_awaitable);
  if (!last.ok) core::log::warn("load_final_metrics_export_failed", {{"error", last.error}});
}

awaitable<void> LoadEngine::sweep_timeouts() {
  while (live_targets_ > 0) {
    sweep_timer_.expires_after(kSweepPeriod);
    co_await sweep_timer_.async_wait(use_nothrow);
    const auto now = Clock::now();
    for (auto& run : runs_) {
      for (auto& slot : run.slots) slot->connection.abort_if_overdue(now);
    }
  }
}

awaitable<void> LoadEngine::flush_intervals() {
  for (auto tick = start_ + kFlushPeriod; live_targets_ > 0; tick += kFlushPeriod) {
    flush_timer_.expires_at(tick);
    co_await flush_timer_.async_wait(use_nothrow);
    deposit_interval();
  }
}

void LoadEngine::deposit_interval() {
  for (auto& run : runs_) {
    intervals_[run.index].in_flight = run.busy_slots;
    intervals_[run.index].backlog = run.queue ? run.queue->backlog() : 0;
  }
  mailbox_.deposit(intervals_);
  for (auto& interval : intervals_) interval.reset();
}

}  // namespace latencylab::loadgen
