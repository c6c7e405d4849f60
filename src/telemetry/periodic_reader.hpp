// The periodic metric reader: collects the Meter on an io_context timer and hands the snapshot to
// a MetricExporter, with at most one export in flight. One coroutine on the io thread runs it all:
// wait for the tick, collect, export_async(), await the result the exporter's completion posts
// back, repeat; at shutdown, a final collect and export.
//
// * Every `interval` (OTEL_METRIC_EXPORT_INTERVAL) a tick collects and exports. A tick falling due
//   while the previous export has not completed is skipped (nothing is collected, so delta
//   instruments keep accumulating), and a warning is logged once per stuck export.
// * The exporter's completion may run on any thread; it is posted back to the io thread.
// * An export still running after `timeout` (OTEL_METRIC_EXPORT_TIMEOUT) counts as failed. The
//   reader cannot cancel it through the interface, so it still waits for its completion before
//   starting the next one (the exporter bounds its own call, e.g. with a gRPC deadline).
// * Outcomes are logged once per state change: "metrics_export_ok" on the first success and on
//   recovery, "metrics_export_failed" when exports start failing.
// * async_shutdown(deadline, token) stops the ticks, waits for an export in flight, collects and
//   exports one last time, then calls exporter.shutdown() with what is left of the deadline. It
//   completes with the final export's result, or a timeout error, no later than the deadline (plus
//   the bounded exporter.shutdown). Use it during graceful drain:
//
//   PeriodicReader reader(io, meter, exporter, {.interval = 60s, .timeout = 30s});
//   reader.start();
//   ...
//   ExportResult last = co_await reader.async_shutdown(5s, asio::use_awaitable);
//
// Threading: construct, start and shut down on the io thread. The reader may be destroyed at any
// time: its coroutine and pending completions hold its shared state and see that it is gone.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>

#include "core/asio.hpp"
#include "telemetry/export_health.hpp"
#include "telemetry/meter.hpp"
#include "telemetry/metric_exporter.hpp"

namespace latencylab::telemetry {

struct PeriodicReaderOptions {
  std::chrono::milliseconds interval{60000};
  std::chrono::milliseconds timeout{30000};
};

class PeriodicReader {
 public:
  using ShutdownHandler = asio::any_completion_handler<void(ExportResult)>;

  PeriodicReader(asio::io_context& io, Meter& meter, MetricExporter& exporter,
                 PeriodicReaderOptions options);
  ~PeriodicReader();
  PeriodicReader(const PeriodicReader&) = delete;
  PeriodicReader& operator=(const PeriodicReader&) = delete;

  void start();

  template <typename CompletionToken>
  auto async_shutdown(std::chrono::milliseconds deadline, CompletionToken&& token) {
    return asio::async_initiate<CompletionToken, void(ExportResult)>(
        [this, deadline](auto handler) {
          begin_shutdown(deadline, ShutdownHandler(std::move(handler)));
        },
        token);
  }

  // Observability of the reader itself (io thread).
  [[nodiscard]] bool export_in_flight() const noexcept;
  [[nodiscard]] ExportHealth::State health() const noexcept;
  [[nodiscard]] std::uint64_t exports_started() const noexcept;
  [[nodiscard]] std::uint64_t ticks_skipped() const noexcept;

 private:
  struct Core;
  void begin_shutdown(std::chrono::milliseconds deadline, ShutdownHandler handler);

  std::shared_ptr<Core> core_;
};

}  // namespace latencylab::telemetry
