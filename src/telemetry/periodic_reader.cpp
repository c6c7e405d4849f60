#include "telemetry/periodic_reader.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <optional>
#include <string>

#include "core/log.hpp"
#include "telemetry/io_timer.hpp"

namespace latencylab::telemetry {

// Shared by the reader, its coroutine and every exporter completion, so none of them outlives what
// it touches. All fields: io thread only.
struct PeriodicReader::Core : std::enable_shared_from_this<Core> {
  using Clock = std::chrono::steady_clock;

  // idle -> periodic (start) -> shutting_down (async_shutdown) -> done; gone once the reader is
  // destroyed, from any phase.
  enum class Phase { idle, periodic, shutting_down, done, gone };

  Core(asio::io_context& io, Meter& m, MetricExporter& e, PeriodicReaderOptions o)
      : executor(io.get_executor()), meter(m), exporter(e), options(o), wake(io) {}

  // The reader's whole life: one export per tick until shutdown, then the final one.
  static awaitable<void> run(std::shared_ptr<Core> self) {
    Core& reader = *self;
    auto next_tick = Clock::now() + reader.options.interval;
    while (reader.phase == Phase::periodic) {
      co_await reader.sleep_until(next_tick);
      if (reader.phase != Phase::periodic) break;
      next_tick += reader.options.interval;  // fixed rate
      reader.start_export();
      co_await reader.await_export(next_tick);
      const auto now = Clock::now();
      if (next_tick <= now) next_tick = now + reader.options.interval;  // fell behind
    }
    if (reader.phase != Phase::shutting_down) co_return;  // the reader is gone
    // The final collect and export, unless the deadline passed while the previous one ran.
    if (!reader.export_in_flight) {
      reader.start_export();
      co_await reader.await_export(next_tick);
    }
    reader.finish_shutdown();
  }

  // Returns at `at`, or earlier when woken (wake.cancel()): the caller re-checks the state.
  awaitable<void> sleep_until(Clock::time_point at) {
    wake.expires_at(at);
    co_await wake.async_wait(use_nothrow);
  }

  // Waits for the export in flight to complete. Meanwhile each tick falling due is skipped
  // (nothing is collected, so delta instruments keep accumulating; a warning once per stuck
  // export), and an export running past options.timeout is reported failed once. During shutdown
  // the wait ends at the deadline instead, leaving the export in flight.
  awaitable<void> await_export(Clock::time_point& next_tick) {
    const auto timeout_at = Clock::now() + options.timeout;
    bool skip_logged = false;
    while (export_in_flight && phase != Phase::gone) {
      const auto now = Clock::now();
      if (phase == Phase::shutting_down && now >= shutdown_deadline) co_return;
      if (!export_timed_out && now >= timeout_at) {
        export_timed_out = true;
        record_outcome(ExportResult{false, "export did not complete within " +
                                               std::to_string(options.timeout.count()) + " ms"});
      }
      if (phase == Phase::periodic && now >= next_tick) {
        next_tick += options.interval;
        ++skipped;
        if (!skip_logged) {
          skip_logged = true;
          core::log::warn("metrics_export_skipped", {{"reason", "previous export still in flight"},
                                                     {"interval_ms", options.interval.count()}});
        }
      }
      auto wake_at = phase == Phase::shutting_down ? shutdown_deadline : next_tick;
      if (!export_timed_out) wake_at = std::min(wake_at, timeout_at);
      co_await sleep_until(wake_at);
    }
  }

  void start_export() {
    auto snapshot = std::make_shared<const MetricsSnapshot>(meter.collect());
    export_in_flight = true;
    export_timed_out = false;
    ++started;
    exporter.export_async(std::move(snapshot), [self = shared_from_this(), io_executor = executor](
                                                   ExportResult result) mutable {
      // Any thread: hop back to the io thread before touching state.
      asio::post(io_executor, [self = std::move(self), result = std::move(result)]() mutable {
        self->on_export_done(std::move(result));
      });
    });
  }

  // On the io thread, posted by the exporter's completion.
  void on_export_done(ExportResult result) {
    if (phase == Phase::done || phase == Phase::gone) return;  // an export abandoned at shutdown
    export_in_flight = false;
    // A late failure after a timeout was already reported as one; a late success is a recovery.
    if (!(export_timed_out && !result.ok)) record_outcome(result);
    last_result = std::move(result);
    wake.cancel();
  }

  void record_outcome(const ExportResult& result) {
    const auto change = health.observe(result);
    if (!change) return;
    if (*change == ExportHealth::State::ok) {
      core::log::info("metrics_export_ok", {{"exports", started}});
    } else {
      core::log::error("metrics_export_failed", {{"error", result.error}});
    }
  }

  void start() {
    if (phase != Phase::idle) return;
    phase = Phase::periodic;
    asio::co_spawn(executor, run(shared_from_this()), asio::detached);
  }

  void begin_shutdown(std::chrono::milliseconds deadline, ShutdownHandler handler) {
    if (phase != Phase::idle && phase != Phase::periodic) {
      complete(std::move(handler), ExportResult{false, "shutdown already requested"});
      return;
    }
    const bool loop_running = phase == Phase::periodic;
    phase = Phase::shutting_down;
    shutdown_handler = std::move(handler);
    shutdown_deadline = Clock::now() + deadline;
    if (loop_running) {
      wake.cancel();
    } else {
      asio::co_spawn(executor, run(shared_from_this()), asio::detached);
    }
  }

  void finish_shutdown() {
    phase = Phase::done;
    ExportResult result =
        export_in_flight ? ExportResult{false, "final export did not complete before the deadline"}
                         : std::move(*last_result);
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(shutdown_deadline - Clock::now());
    // Blocks the io thread for at most what is left of the drain deadline; at this point the
    // final export is over (or abandoned), so only the exporter's own teardown remains.
    exporter.shutdown(std::max<long>(0, static_cast<long>(left.count())));
    complete(std::move(*shutdown_handler), std::move(result));
    shutdown_handler.reset();
  }

  void complete(ShutdownHandler handler, ExportResult result) {
    // Posted (never invoked inline) so the caller's frame is not re-entered; the handler runs on
    // the io thread, which is where every awaiting coroutine of this process lives.
    asio::post(executor, [handler = std::move(handler), result = std::move(result)]() mutable {
      std::move(handler)(std::move(result));
    });
  }

  asio::io_context::executor_type executor;
  Meter& meter;
  MetricExporter& exporter;
  PeriodicReaderOptions options;
  IoTimer wake;  // the loop's one timer; cancelled to wake it when the state changed
  Phase phase = Phase::idle;
  bool export_in_flight = false;
  bool export_timed_out = false;            // the export in flight was already reported as failed
  std::optional<ExportResult> last_result;  // of the latest export that completed
  ExportHealth health;
  std::uint64_t started = 0;
  std::uint64_t skipped = 0;
  Clock::time_point shutdown_deadline;
  std::optional<ShutdownHandler> shutdown_handler;
};

PeriodicReader::PeriodicReader(asio::io_context& io, Meter& meter, MetricExporter& exporter,
                               PeriodicReaderOptions options)
    : core_(std::make_shared<Core>(io, meter, exporter, options)) {}

PeriodicReader::~PeriodicReader() {
  core_->phase = Core::Phase::gone;
  core_->wake.cancel();
}

void PeriodicReader::start() {
  core_->start();
}

void PeriodicReader::begin_shutdown(std::chrono::milliseconds deadline, ShutdownHandler handler) {
  core_->begin_shutdown(deadline, std::move(handler));
}

bool PeriodicReader::export_in_flight() const noexcept {
  return core_->export_in_flight;
}
ExportHealth::State PeriodicReader::health() const noexcept {
  return core_->health.state();
}
std::uint64_t PeriodicReader::exports_started() const noexcept {
  return core_->started;
}
std::uint64_t PeriodicReader::ticks_skipped() const noexcept {
  return core_->skipped;
}

}  // namespace latencylab::telemetry
