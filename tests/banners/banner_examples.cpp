// Each function below supplies the names a header's banner example uses (as parameters or
// using-declarations) and then pastes that example verbatim from the generated
// banner_examples/<header>.inc. A compile error points at the header's own banner line.
//
// Headers not checked here: those whose example is a data shape rather than code (scenario.hpp,
// latency_spec.hpp, order/payment_validation.hpp, sdk_settings.hpp) or elides arguments
// (`{...}`, `= ...;`: console_exporter.hpp, run_plan.hpp, connection_deadline.hpp), and those
// being reworked on other branches of issue 10 (session, listener, connection registry, request
// guard, HTTP server metrics, http_method, periodic reader, exporters and retry policy, env and
// URL parsing, result types); add them here once settled.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "app/healthcheck_command.hpp"
#include "app/load_command.hpp"
#include "app/serve_command.hpp"
#include "app/service.hpp"
#include "config/config.hpp"
#include "config/graph_file.hpp"
#include "config/json_reader.hpp"
#include "config/json_text.hpp"
#include "config/latency_rules.hpp"
#include "config/resolved_service.hpp"
#include "core/asio.hpp"
#include "core/fifo_semaphore.hpp"
#include "core/io_context.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/open_file_limit.hpp"
#include "core/wall_clock.hpp"
#include "graph/circuit_breaker.hpp"
#include "graph/db_pool.hpp"
#include "graph/retry_policy.hpp"
#include "handlers/business_metrics.hpp"
#include "handlers/catalog.hpp"
#include "handlers/health_handler.hpp"
#include "handlers/order_store.hpp"
#include "handlers/order_validation.hpp"
#include "handlers/report.hpp"
#include "handlers/search_query.hpp"
#include "http/access_log.hpp"
#include "http/client_connection.hpp"
#include "http/client_metrics.hpp"
#include "http/client_pool.hpp"
#include "http/client_request.hpp"
#include "http/connection_registry.hpp"
#include "http/framing.hpp"
#include "http/limits.hpp"
#include "http/request_id.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/server_deadlines.hpp"
#include "loadgen/arrival_schedule.hpp"
#include "loadgen/builtin_scenarios.hpp"
#include "loadgen/connection_ramp.hpp"
#include "loadgen/exchange_outcome.hpp"
#include "loadgen/html_report.hpp"
#include "loadgen/http_connection.hpp"
#include "loadgen/latency_histogram.hpp"
#include "loadgen/load_engine.hpp"
#include "loadgen/open_model_queue.hpp"
#include "loadgen/progress_reporter.hpp"
#include "loadgen/request_body_generator.hpp"
#include "loadgen/request_mix.hpp"
#include "loadgen/response_reader.hpp"
#include "loadgen/run_report.hpp"
#include "loadgen/run_stats.hpp"
#include "loadgen/run_timeline.hpp"
#include "loadgen/scenario.hpp"
#include "loadgen/svg_chart.hpp"
#include "sim/latency_model.hpp"
#include "sim/latency_spec.hpp"
#include "sim/random.hpp"
#include "telemetry/aggregation.hpp"
#include "telemetry/attributes.hpp"
#include "telemetry/console_summary.hpp"
#include "telemetry/export_health.hpp"
#include "telemetry/fast_steady_clock.hpp"
#include "telemetry/histogram_buckets.hpp"
#include "telemetry/instruments.hpp"
#include "telemetry/io_loop_lag_probe.hpp"
#include "telemetry/io_timer.hpp"
#include "telemetry/meter.hpp"
#include "telemetry/metric_data.hpp"
#include "telemetry/otlp/otlp_encoder.hpp"
#include "telemetry/resource.hpp"

// ---- core ----
namespace latencylab {

awaitable<void> asio_example(asio::ip::tcp::socket& socket, asio::mutable_buffer buffer) {
#include "banner_examples/core/asio.hpp.inc"
}

}  // namespace latencylab

namespace latencylab::core {

awaitable<AcquireError> fifo_semaphore_example(asio::io_context& io,
                                               awaitable<void> (*hold_connection)()) {
#include "banner_examples/core/fifo_semaphore.hpp.inc"
  co_return AcquireError::cancelled;
}

void io_context_example() {
#include "banner_examples/core/io_context.hpp.inc"
}

void json_writer_example(std::string& line) {
#include "banner_examples/core/json_writer.hpp.inc"
}

void log_example() {
#include "banner_examples/core/log.hpp.inc"
}

void open_file_limit_example(std::uint64_t needed_fds) {
#include "banner_examples/core/open_file_limit.hpp.inc"
}

void wall_clock_example() {
#include "banner_examples/core/wall_clock.hpp.inc"
}

}  // namespace latencylab::core

// ---- config ----
namespace latencylab::config {

void config_example() {
#include "banner_examples/config/config.hpp.inc"
}

void graph_file_example() {
#include "banner_examples/config/graph_file.hpp.inc"
}

void json_reader_example(const boost::json::value& json, Database& database) {
#include "banner_examples/config/json_reader.hpp.inc"
}

void json_text_example() {
#include "banner_examples/config/json_text.hpp.inc"
}

void resolved_service_example(const Config& config) {
#include "banner_examples/config/resolved_service.hpp.inc"
}

void latency_rules_example(const sim::LatencySpec& spec, const std::string& key) {
#include "banner_examples/config/latency_rules.hpp.inc"
}

}  // namespace latencylab::config

// ---- sim ----
namespace latencylab::sim {

void latency_model_example(const LatencySpec& spec, Rng& rng) {
#include "banner_examples/sim/latency_model.hpp.inc"
}

void latency_spec_example() {
#include "banner_examples/sim/latency_spec.hpp.inc"
}

void random_example(const config::Config& config) {
#include "banner_examples/sim/random.hpp.inc"
}

}  // namespace latencylab::sim

// ---- telemetry ----
namespace latencylab::telemetry {

void aggregation_example(std::span<const double> bounds) {
#include "banner_examples/telemetry/aggregation.hpp.inc"
}

void attributes_example() {
#include "banner_examples/telemetry/attributes.hpp.inc"
}

void console_summary_example(const MetricsSnapshot& snapshot) {
#include "banner_examples/telemetry/console_summary.hpp.inc"
}

void export_health_example(const ExportResult& result,
                           void (*log_change)(ExportHealth::State, const ExportResult&)) {
#include "banner_examples/telemetry/export_health.hpp.inc"
}

void fast_steady_clock_example() {
#include "banner_examples/telemetry/fast_steady_clock.hpp.inc"
}

void histogram_buckets_example(Meter& meter) {
#include "banner_examples/telemetry/histogram_buckets.hpp.inc"
}

void instruments_example(Meter& meter) {
#include "banner_examples/telemetry/instruments.hpp.inc"
}

void io_loop_lag_probe_example(asio::io_context& io, Meter& meter) {
#include "banner_examples/telemetry/io_loop_lag_probe.hpp.inc"
}

void io_timer_example(asio::io_context& io, void (*handler)(const error_code&)) {
  using namespace std::chrono_literals;
#include "banner_examples/telemetry/io_timer.hpp.inc"
}

void otlp_encoder_example(const std::shared_ptr<const MetricsSnapshot>& snapshot) {
#include "banner_examples/telemetry/otlp/otlp_encoder.hpp.inc"
}

void metric_data_example(Meter& meter) {
#include "banner_examples/telemetry/metric_data.hpp.inc"
}

void meter_example(const SdkSettings& settings, const std::deque<int>& queue) {
#include "banner_examples/telemetry/meter.hpp.inc"
}

void resource_example(const SdkSettings& settings) {
#include "banner_examples/telemetry/resource.hpp.inc"
}

}  // namespace latencylab::telemetry

// ---- http ----
namespace latencylab::http {

void access_log_example(AccessLog& access_log, std::chrono::nanoseconds elapsed,
                        const RequestId& id){
#include "banner_examples/http/access_log.hpp.inc"
}

awaitable<void> client_connection_example(const asio::any_io_executor& executor,
                                          const asio::ip::tcp::endpoint& server,
                                          PeerMetrics& peer_metrics,
                                          ClientConnection::Clock::time_point deadline) {
#include "banner_examples/http/client_connection.hpp.inc"
}

void client_metrics_example(telemetry::Meter& meter, std::chrono::nanoseconds elapsed){
#include "banner_examples/http/client_metrics.hpp.inc"
}

awaitable<void> client_pool_example(telemetry::Meter& meter, const asio::any_io_executor& executor,
                                    const asio::ip::tcp::endpoint& endpoint, std::string_view body,
                                    std::string_view request_id) {
#include "banner_examples/http/client_pool.hpp.inc"
}

void client_request_example() {
#include "banner_examples/http/client_request.hpp.inc"
}

void framing_example(beast_http::request_parser<beast_http::string_body>& parser) {
#include "banner_examples/http/framing.hpp.inc"
}

void limits_example(const config::Config& config, std::size_t body_bytes) {
#include "banner_examples/http/limits.hpp.inc"
}

void request_id_example(std::uint64_t seed, const Request& request, Response& response,
                        std::string& head) {
#include "banner_examples/http/request_id.hpp.inc"
}

void response_example(RequestContext& ctx, std::string body_text, const Response& response,
                      const RequestId& request_id) {
#include "banner_examples/http/response.hpp.inc"
}

void router_example(Handler get_order){
#include "banner_examples/http/router.hpp.inc"
}

awaitable<void> server_deadlines_example(asio::io_context& io, const Limits& limits,
                                         asio::ip::tcp::socket& socket,
                                         asio::mutable_buffer buffer) {
#include "banner_examples/http/server_deadlines.hpp.inc"
}

}  // namespace latencylab::http

// ---- graph ----
namespace latencylab::graph {

CallResult circuit_breaker_example(CircuitBreaker::time_point now, std::chrono::nanoseconds elapsed,
                                   CallResult (*call_downstream)()) {
#include "banner_examples/graph/circuit_breaker.hpp.inc"
  return result;
}

awaitable<void> db_pool_example(telemetry::Meter& meter, asio::io_context& io) {
#include "banner_examples/graph/db_pool.hpp.inc"
}

void retry_policy_example(sim::Rng& rng, CallResult (*call_downstream)()) {
#include "banner_examples/graph/retry_policy.hpp.inc"
}

}  // namespace latencylab::graph

// ---- handlers ----
namespace latencylab::handlers {

using http::json_response;
using http::Status;
using http::Verb;

void business_metrics_example(telemetry::Meter& meter, const Order& order) {
#include "banner_examples/handlers/business_metrics.hpp.inc"
}

void catalog_example(http::RequestContext& ctx) {
#include "banner_examples/handlers/catalog.hpp.inc"
}

void health_handler_example(const http::ConnectionRegistry& registry, http::Router& router) {
#include "banner_examples/handlers/health_handler.hpp.inc"
}

void order_store_example() {
#include "banner_examples/handlers/order_store.hpp.inc"
}

void report_example(sim::Rng& rng) {
#include "banner_examples/handlers/report.hpp.inc"
}

void search_query_example() {
#include "banner_examples/handlers/search_query.hpp.inc"
}

}  // namespace latencylab::handlers

// ---- loadgen ----
namespace latencylab::loadgen {

void arrival_schedule_example() {
#include "banner_examples/loadgen/arrival_schedule.hpp.inc"
}

void builtin_scenarios_example() {
#include "banner_examples/loadgen/builtin_scenarios.hpp.inc"
}

void connection_ramp_example() {
#include "banner_examples/loadgen/connection_ramp.hpp.inc"
}

void exchange_outcome_example(){
#include "banner_examples/loadgen/exchange_outcome.hpp.inc"
}

awaitable<void> http_connection_example(const asio::any_io_executor& executor,
                                        const ConnectionSettings& settings,
                                        std::string_view request_bytes,
                                        HttpConnection::Clock::time_point now,
                                        std::chrono::milliseconds timeout) {
#include "banner_examples/loadgen/http_connection.hpp.inc"
}

void latency_histogram_example() {
#include "banner_examples/loadgen/latency_histogram.hpp.inc"
}

namespace load_command_example {
#include "banner_examples/app/load_command.hpp.inc"
}  // namespace load_command_example

void load_engine_example(const RunPlan& plan, IntervalMailbox& mailbox) {
#include "banner_examples/loadgen/load_engine.hpp.inc"
}

void html_report_example(const RunPlan& plan, const LoadOptions& options, const RunReport& report,
                         const RunTimeline& timeline, const GateResult& gates) {
#include "banner_examples/loadgen/html_report.hpp.inc"
}

void open_model_queue_example(Nanos intended, Nanos now) {
  using namespace std::chrono_literals;
#include "banner_examples/loadgen/open_model_queue.hpp.inc"
}

void progress_reporter_example(const RunPlan& plan, std::span<IntervalMailbox* const> mailboxes,
                               std::ofstream& timeline_file) {
#include "banner_examples/loadgen/progress_reporter.hpp.inc"
}

void request_body_generator_example() {
#include "banner_examples/loadgen/request_body_generator.hpp.inc"
}

void request_mix_example(const Scenario& scenario, const TargetPlan& target, std::uint64_t seed){
#include "banner_examples/loadgen/request_mix.hpp.inc"
}

awaitable<void> response_reader_example(asio::ip::tcp::socket& stream, beast::flat_buffer& buffer,
                                        void (*record)(unsigned status, bool keep_alive)) {
#include "banner_examples/loadgen/response_reader.hpp.inc"
}

void run_report_example(const RunPlan& plan, std::vector<TargetStats> merged_stats,
                        std::chrono::system_clock::time_point started_at,
                        std::optional<Nanos> request_cap_end, const LoadOptions& options) {
#include "banner_examples/loadgen/run_report.hpp.inc"
}

void run_stats_example(Nanos latency, Nanos service_time) {
#include "banner_examples/loadgen/run_stats.hpp.inc"
}

void run_timeline_example(const RunPlan& plan, const std::vector<IntervalStats>& intervals) {
#include "banner_examples/loadgen/run_timeline.hpp.inc"
}

void svg_chart_example() {
#include "banner_examples/loadgen/svg_chart.hpp.inc"
}

}  // namespace latencylab::loadgen

// ---- app ----
namespace latencylab::app {

int healthcheck_command_example(std::string_view command, int argc, char** argv) {
#include "banner_examples/app/healthcheck_command.hpp.inc"
  return 2;
}

int serve_command_example(std::string_view command, int argc, char** argv) {
#include "banner_examples/app/serve_command.hpp.inc"
  return 2;
}

void service_example(ServiceOptions options) {
#include "banner_examples/app/service.hpp.inc"
}

}  // namespace latencylab::app
