#include "loadgen/progress_reporter.hpp"

#include <array>

namespace latencylab::loadgen {
namespace {

double ms(std::uint64_t nanos) {
  return static_cast<double>(nanos) / 1e6;
}

}  // namespace

ProgressReporter::ProgressReporter(const RunPlan& plan, std::span<IntervalMailbox* const> mailboxes,
                                   RunTimeline& run_timeline, std::ostream* timeline,
                                   Display display, std::FILE* progress_out)
    : plan_(plan),
      mailboxes_(mailboxes),
      run_timeline_(run_timeline),
      timeline_(timeline),
      display_(display),
      progress_out_(progress_out),
      interval_(plan.targets.size()) {
  if (timeline_ != nullptr) *timeline_ << kTimelineHeader;
}

void ProgressReporter::report_interval(unsigned second) {
  for (auto& interval : interval_) interval.reset();
  for (IntervalMailbox* mailbox : mailboxes_) mailbox->collect_into(interval_);
  run_timeline_.add(second, interval_);

  // An interval is "warmup" when it ends inside the warm-up; its requests are not in the totals.
  const Nanos interval_end = std::chrono::seconds{second};
  const bool warmup = interval_end <= plan_.warmup;
  double rate = 0;
  double target_rate = 0;
  std::uint64_t in_flight = 0;
  std::uint64_t errors = 0;
  for (std::size_t t = 0; t < interval_.size(); ++t) {
    const IntervalStats& s = interval_[t];
    const TargetPlan& target = plan_.targets[t];
    double scheduled = 0;
    if (target.schedule) {
      scheduled = target.schedule->expected_requests(interval_end) -
                  target.schedule->expected_requests(interval_end - std::chrono::seconds{1});
    }
    rate += static_cast<double>(s.started);
    target_rate += scheduled;
    in_flight += s.in_flight;
    errors += s.errors;
    total_late_ += s.late;
    total_dropped_ += s.dropped;
    if (!warmup) {
      measured_latency_.merge(s.latency);
      measured_completed_ += s.completed;
      measured_errors_ += s.errors;
    }
    if (timeline_ != nullptr) {
      std::array<char, 512> row{};
      std::snprintf(
          row.data(), row.size(),
          "%u,%s,%s,%.1f,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.3f,%.3f,%.3f,%.3f,%.3f\n", second,
          target.name.c_str(), warmup ? "warmup" : "measure", scheduled,
          static_cast<unsigned long long>(s.started), static_cast<unsigned long long>(s.completed),
          static_cast<unsigned long long>(s.errors), static_cast<unsigned long long>(s.late),
          static_cast<unsigned long long>(s.dropped), static_cast<unsigned long long>(s.in_flight),
          static_cast<unsigned long long>(s.backlog), ms(s.latency.percentile(50)),
          ms(s.latency.percentile(90)), ms(s.latency.percentile(99)), ms(s.latency.max()),
          ms(s.service_time.percentile(99)));
      *timeline_ << row.data();
    }
  }
  if (timeline_ != nullptr) timeline_->flush();
  if (display_ == Display::none) return;

  const double error_share = measured_completed_ == 0
                                 ? 0.0
                                 : 100.0 * static_cast<double>(measured_errors_) /
                                       static_cast<double>(measured_completed_);
  std::array<char, 96> target_text{};
  if (plan_.model == LoadModel::open) {
    std::snprintf(target_text.data(), target_text.size(), " (target %.0f)", target_rate);
  }
  std::array<char, 384> line{};
  std::snprintf(line.data(), line.size(),
                "[%4us/%llds]%s rate %.0f/s%s  in-flight %llu  p99 %.2fms  errors %llu (%.2f%% "
                "total)  late %llu  dropped %llu",
                second,
                static_cast<long long>(
                    std::chrono::duration_cast<std::chrono::seconds>(plan_.duration).count()),
                warmup ? " warmup" : "", rate, target_text.data(),
                static_cast<unsigned long long>(in_flight), ms(measured_latency_.percentile(99)),
                static_cast<unsigned long long>(errors), error_share,
                static_cast<unsigned long long>(total_late_),
                static_cast<unsigned long long>(total_dropped_));
  if (display_ == Display::terminal) {
    std::fprintf(progress_out_, "\r\033[2K%s", line.data());
  } else {
    std::fprintf(progress_out_, "%s\n", line.data());
  }
  std::fflush(progress_out_);
}

void ProgressReporter::finish() {
  run_timeline_.finish();
  if (display_ == Display::terminal) {
    std::fputc('\n', progress_out_);
    std::fflush(progress_out_);
  }
}

}  // namespace latencylab::loadgen
