// One io thread's share of a load run: its own io_context (never shared), its slice of every
// target's arrival schedule (open model: requests thread_index, thread_index + threads, ...) or of
// its connections (closed model), and its own statistics.
//
// Open model: a dispatcher coroutine per target waits for each request's intended time and hands
// it to an idle connection slot (OpenModelQueue decides: send, wait in the backlog, or drop).
// Slots are coroutines that connect lazily, so only as many connections open as the load needs.
// Closed model: each connection loops request -> response -> think time. With a ramp (--stages
// with --connections) a controller coroutine per target changes how many slots are active at the
// ramp's instants; a slot beyond the count finishes its request in flight, closes its connection
// and ends, and is started again if the count comes back up.
// A timeout sweeper (every 50 ms) aborts overdue exchanges; a flush timer deposits per-second
// interval statistics into the mailbox read by the reporter thread. With a MetricsExport the
// engine also records LoadMetrics and runs a telemetry::PeriodicReader on its io_context.
//
// Threading: construct on any thread, then run() on exactly one; results() after run() returns.
//
//   LoadEngine engine(plan, 0, mailbox);
//   engine.run(std::chrono::steady_clock::now());
//   const std::vector<TargetStats>& stats = engine.results();
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "core/asio.hpp"
#include "loadgen/http_connection.hpp"
#include "loadgen/load_metrics.hpp"
#include "loadgen/open_model_queue.hpp"
#include "loadgen/run_plan.hpp"
#include "loadgen/run_stats.hpp"
#include "telemetry/periodic_reader.hpp"

namespace latencylab::loadgen {

// Where an engine's own metrics go when OTEL_METRICS_EXPORTER is set (app/load_command.cpp builds
// one per io thread). The meter and exporter outlive the engine; its reader runs on the engine's
// io_context, and the run ends only after the reader's final export (bounded by reader.timeout).
struct MetricsExport {
  telemetry::Meter& meter;
  telemetry::MetricExporter& exporter;
  telemetry::PeriodicReaderOptions reader;
};

class LoadEngine {
 public:
  using Clock = std::chrono::steady_clock;

  // Without `metrics_export` nothing is recorded beyond the run's own statistics.
  LoadEngine(const RunPlan& plan, unsigned thread_index, IntervalMailbox& mailbox,
             const MetricsExport* metrics_export = nullptr);
  LoadEngine(const LoadEngine&) = delete;
  LoadEngine& operator=(const LoadEngine&) = delete;
  ~LoadEngine();

  void run(Clock::time_point start);
  [[nodiscard]] const std::vector<TargetStats>& results() const noexcept { return results_; }
  // After run(): when this thread's share of --requests ran out, the moment its last request
  // ended (from the start); nullopt without a cap or while the share lasted.
  [[nodiscard]] std::optional<Nanos> request_cap_end() const noexcept { return request_cap_end_; }

 private:
  // One connection and its coroutine's parking timer. Heap-allocated once: coroutines hold
  // references, so slots never move.
  struct Slot {
    Slot(const asio::any_io_executor& executor, const ConnectionSettings& settings,
         std::size_t slot_index)
        : connection(executor, settings), wake(executor), index(slot_index) {}
    HttpConnection connection;
    asio::steady_timer wake;       // parked idle slots wait on it; cancel() wakes them
    std::optional<Ticket> ticket;  // handed over by the dispatcher before it wakes the slot
    std::size_t index;
    bool running = false;
  };

  // One target on this thread. Touched only by this thread's coroutines.
  struct TargetRun {
    const TargetPlan* plan = nullptr;
    std::size_t index = 0;
    std::vector<std::unique_ptr<Slot>> slots;
    std::optional<OpenModelQueue> queue;  // open model
    std::size_t active_slots = 0;         // closed model: slots [0, active_slots) send requests
    asio::steady_timer* ramp_timer = nullptr;  // closed model, while ramp_closed() waits on it
    TargetStats stats;
    std::size_t busy_slots = 0;
    std::size_t live_coroutines = 0;  // dispatcher + running slots
    bool stopping = false;
  };

  awaitable<void> dispatch_open(TargetRun& run);
  awaitable<void> run_open_slot(TargetRun& run, Slot& slot, Ticket first);
  awaitable<void> run_closed_slot(TargetRun& run, Slot& slot);
  awaitable<void> ramp_closed(TargetRun& run);
  awaitable<void> sweep_timeouts();
  awaitable<void> flush_intervals();

  // The bookkeeping around one exchange, kept out of a nested coroutine on purpose: every
  // coroutine level is one more frame, and Asio's per-thread frame cache holds only two, so a
  // third level would cost a heap allocation per request.
  struct RequestInFlight {
    RequestMix::Choice choice;
    Nanos intended;
    Clock::time_point sent_at;
    bool measured;  // intended at or after the warm-up
  };
  RequestInFlight begin_request(TargetRun& run, Nanos intended, bool late);
  void finish_request(TargetRun& run, const RequestInFlight& request, ExchangeOutcome outcome);

  void start_open_slot(TargetRun& run, std::size_t slot, const Ticket& ticket);
  void set_active_slots(TargetRun& run, std::size_t count);
  void stop_target(TargetRun& run);
  void stop_all();
  void on_coroutine_done(TargetRun& run);
  void finish_run();
  awaitable<void> export_final_metrics();
  void count_dropped(TargetRun& run, std::uint64_t count);
  [[nodiscard]] bool take_request_quota() noexcept;
  [[nodiscard]] Nanos elapsed(Clock::time_point now) const noexcept { return now - start_; }
  void deposit_interval();

  const RunPlan& plan_;
  const unsigned thread_index_;
  IntervalMailbox& mailbox_;
  asio::io_context io_{1};
  Clock::time_point start_{};
  std::vector<TargetRun> runs_;
  std::vector<IntervalStats> intervals_;
  std::vector<TargetStats> results_;
  MixRng rng_;
  std::optional<std::uint64_t> requests_left_;  // --requests share; nullopt: unlimited
  std::optional<Nanos> request_cap_end_;
  std::size_t live_targets_ = 0;
  asio::steady_timer sweep_timer_;
  asio::steady_timer flush_timer_;
  asio::steady_timer deadline_timer_;
  std::optional<LoadMetrics> metrics_;               // when exporting
  std::optional<telemetry::PeriodicReader> reader_;  // when exporting
  std::chrono::milliseconds final_export_budget_{0};
};

}  // namespace latencylab::loadgen
