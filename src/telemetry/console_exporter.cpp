#include "telemetry/console_exporter.hpp"

#include <unistd.h>

#include <utility>

#include "core/json_writer.hpp"
#include "core/worker.hpp"
#include "telemetry/snapshot_json.hpp"

namespace latencylab::telemetry {

ConsoleMetricExporter::ConsoleMetricExporter(TemporalityPreference preference, ConsoleFormat format,
                                             LineWriter writer)
    : preference_(preference),
      format_(format),
      writer_(writer ? std::move(writer) : LineWriter([](std::string_view line) {
        return core::write_all(STDOUT_FILENO, line);
      })),
      worker_("console", [this](const MetricsSnapshot& snapshot, const std::stop_token&) {
        // write(2) cannot be interrupted: a stop request does not shorten it.
        std::string text;
        if (format_ == ConsoleFormat::json) {
          text = core::json::serialize(snapshot_to_json(snapshot));
          text += '\n';
        } else {
          text = summary_.render(snapshot);
        }
        return writer_(text) ? ExportResult{true, {}}
                             : ExportResult{false, "write to stdout failed"};
      }) {}

ConsoleMetricExporter::~ConsoleMetricExporter() {
  shutdown(0);
}

void ConsoleMetricExporter::export_async(std::shared_ptr<const MetricsSnapshot> snapshot,
                                         Completion done) {
  worker_.submit(std::move(snapshot), std::move(done));
}

void ConsoleMetricExporter::shutdown(long timeout_ms) {
  worker_.shutdown(std::chrono::milliseconds(timeout_ms));
}

}  // namespace latencylab::telemetry
