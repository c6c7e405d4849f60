#include "telemetry/periodic_reader.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <optional>
#include <string>

#include "core/log.hpp"
#include "telemetry/io_timer.hpp"

namespace latencylab::telemetry {

// Shared with every pending timer wait and exporter completion, so none of them outlives what it
// touches. All fields: io thread only.
struct PeriodicReader::Core : std::enable_shared_from_this<Core> {
  Core(asio::io_context& io, Meter& m, MetricExporter& e, PeriodicReaderOptions o)
      : executor(io.get_executor()),
        meter(m),
        exporter(e),
        options(o),
        tick_timer(io),
        export_timer(io),
        shutdown_timer(io) {}

  void arm_tick(std::chrono::steady_clock::time_point at) {
    tick_timer.expires_at(at);
    tick_timer.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->detached || self->shutting_down) return;
      self->on_tick();
    });
  }

  void on_tick() {
    // Fixed rate: the next tick is one interval after this one was due, unless we fell behind.
    const auto now = std::chrono::steady_clock::now();
    auto next = tick_timer.expiry() + options.interval;
    if (next <= now) next = now + options.interval;
    if (in_flight) {
      ++skipped;
      if (!skip_logged) {
        skip_logged = true;
        log::warn("metrics_export_skipped", {{"reason", "previous export still in flight"},
                                             {"interval_ms", options.interval.count()}});
      }
    } else {
      start_export();
    }
    arm_tick(next);
  }

  void start_export() {
    auto snapshot = std::make_shared<const MetricsSnapshot>(meter.collect());
    in_flight = true;
    ++started;
    const std::uint64_t generation = started;
    export_timer.expires_after(options.timeout);
    export_timer.async_wait([self = shared_from_this(), generation](error_code ec) {
      if (ec || self->detached || !self->in_flight || self->started != generation) return;
      self->export_timed_out = true;
      self->record_outcome(ExportResult{false, "export did not complete within " +
                                                   std::to_string(self->options.timeout.count()) +
                                                   " ms"});
    });
    exporter.export_async(std::move(snapshot), [self = shared_from_this(), io_executor = executor](
                                                   ExportResult result) mutable {
      // Any thread: hop back to the io thread before touching state.
      asio::post(io_executor, [self = std::move(self), result = std::move(result)]() mutable {
        self->on_export_done(std::move(result));
      });
    });
  }

  void on_export_done(ExportResult result) {
    if (detached) return;
    const bool timed_out = export_timed_out;
    in_flight = false;
    skip_logged = false;
    export_timed_out = false;
    export_timer.cancel();
    // A late failure after a timeout was already reported as one; a late success is a recovery.
    if (!(timed_out && !result.ok)) record_outcome(result);
    if (shutting_down) continue_shutdown(std::move(result));
  }

  void record_outcome(const ExportResult& result) {
    const auto change = health.observe(result);
    if (!change) return;
    if (*change == ExportHealth::State::ok) {
      log::info("metrics_export_ok", {{"exports", started}});
    } else {
      log::error("metrics_export_failed", {{"error", result.error}});
    }
  }

  // Shutdown: [wait for in-flight] -> final collect + export -> exporter.shutdown -> handler.
  void begin_shutdown(std::chrono::milliseconds deadline, ShutdownHandler handler) {
    if (shutting_down) {
      complete(std::move(handler), ExportResult{false, "shutdown already requested"});
      return;
    }
    shutting_down = true;
    shutdown_handler = std::move(handler);
    shutdown_deadline = std::chrono::steady_clock::now() + deadline;
    tick_timer.cancel();
    shutdown_timer.expires_at(shutdown_deadline);
    shutdown_timer.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->detached) return;
      self->finish_shutdown(
          ExportResult{false, "final export did not complete before the deadline"});
    });
    if (in_flight) {
      waiting_for_previous = true;  // its completion starts the final export
    } else {
      start_export();
    }
  }

  void continue_shutdown(ExportResult result) {
    if (!shutdown_handler) return;  // the deadline already ended the shutdown: export nothing more
    if (waiting_for_previous) {
      waiting_for_previous = false;
      start_export();
      return;
    }
    finish_shutdown(std::move(result));
  }

  void finish_shutdown(ExportResult result) {
    if (!shutdown_handler) return;  // already finished (deadline and completion raced)
    shutdown_timer.cancel();
    export_timer.cancel();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        shutdown_deadline - std::chrono::steady_clock::now());
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
  IoTimer tick_timer;
  IoTimer export_timer;
  IoTimer shutdown_timer;
  ExportHealth health;
  bool in_flight = false;
  bool export_timed_out = false;
  bool skip_logged = false;
  bool shutting_down = false;
  bool waiting_for_previous = false;
  bool detached = false;  // the PeriodicReader is gone: late completions only release memory
  std::uint64_t started = 0;
  std::uint64_t skipped = 0;
  std::chrono::steady_clock::time_point shutdown_deadline;
  std::optional<ShutdownHandler> shutdown_handler;
};

PeriodicReader::PeriodicReader(asio::io_context& io, Meter& meter, MetricExporter& exporter,
                               PeriodicReaderOptions options)
    : core_(std::make_shared<Core>(io, meter, exporter, options)) {}

PeriodicReader::~PeriodicReader() {
  core_->detached = true;
  core_->tick_timer.cancel();
  core_->export_timer.cancel();
  core_->shutdown_timer.cancel();
}

void PeriodicReader::start() {
  core_->arm_tick(std::chrono::steady_clock::now() + core_->options.interval);
}

void PeriodicReader::begin_shutdown(std::chrono::milliseconds deadline, ShutdownHandler handler) {
  core_->begin_shutdown(deadline, std::move(handler));
}

bool PeriodicReader::export_in_flight() const noexcept {
  return core_->in_flight;
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
